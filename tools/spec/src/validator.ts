import { _, type Options } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { fastFormats } from "ajv-formats/dist/formats.js";
import type { OpenAPI3 } from "openapi-typescript";
import { type Api, repoRelative, SpecError } from "./apis.ts";
import { resolvedOrNone } from "./pointers.ts";
import { readAlready, type SpecReading, specReading } from "./reading.ts";

/** Validates a value against the schema at a JSON pointer of the spec; returns the violations. */
export type SpecValidator = (schemaPointer: string, value: unknown) => string[];

/**
 * Which way a value travels: a request body leaves out the properties the schema marks
 * `readOnly`, a response body those it marks `writeOnly` (OpenAPI: required only in their own
 * direction, and not sent in the other).
 */
export type Direction = "request" | "response";

const hiddenIn = { request: "readOnly", response: "writeOnly" } as const;

/** The keyword a property one direction must not carry is replaced by: wherever the property is present, it fails, saying why. */
const hiddenKeyword = "x-contracts-hidden";

const hiddenReasons: Record<(typeof hiddenIn)[Direction], string> = {
  readOnly: "is read-only: the server sets it, a request must not send it",
  writeOnly: "is write-only: a client sends it, a response must not carry it",
};

/**
 * The document as a validator of one direction sees it: the spec as read (`specReading`), with
 * every property the other direction alone has left out of `required`, and refused where it is
 * present (OpenAPI: readOnly properties "SHOULD NOT be sent as part of the request", writeOnly ones
 * "SHOULD NOT be sent as part of the response"). One copy per document and direction, shared by
 * every validator of it: callers must not change it.
 */
export function directional(document: OpenAPI3, direction: Direction): OpenAPI3 {
  const copies = directionalCopies.get(document) ?? {};
  directionalCopies.set(document, copies);
  copies[direction] ??= directionalCopy(document, direction);
  return copies[direction];
}

const directionalCopies = new WeakMap<object, Partial<Record<Direction, OpenAPI3>>>();

function directionalCopy(document: OpenAPI3, direction: Direction): OpenAPI3 {
  const reading = specReading(document);
  const keyword = hiddenIn[direction];
  // Marked beside the schema or in a member of its `allOf` (DigitalOcean's `allOf: [{ $ref }, { readOnly: true }]`).
  const hidden = (property: unknown): boolean => {
    const schema = resolvedOrNone(reading.document, property as Record<string, unknown>);
    return schema?.[keyword] === true || (Array.isArray(schema?.allOf) && schema.allOf.some(hidden));
  };
  const copy = structuredClone(reading.document);
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    const schema = node as { properties?: Record<string, unknown>; required?: unknown };
    if (!Array.isArray(node) && typeof schema.properties === "object" && schema.properties !== null) {
      const names = Object.keys(schema.properties).filter((name) => hidden(schema.properties![name]));
      for (const name of names) schema.properties[name] = { [hiddenKeyword]: keyword };
      if (Array.isArray(schema.required)) schema.required = schema.required.filter((name) => !names.includes(name));
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(copy);
  // Read already, its places the spec's own as read.
  readAlready(copy, reading);
  const owner = owners.get(document);
  if (owner) owners.set(copy, owner);
  return copy;
}

/** The API each document came from, for refusals that name it (see `ownDocument`). */
const owners = new WeakMap<object, Api>();

/**
 * Marks `document` as the spec of `api`: a schema of it that Ajv cannot compile is then refused
 * with a `SpecError` naming the API, the file and the place, never with Ajv's stack. Directional
 * copies (`directional`) keep the mark.
 */
export function ownDocument(document: OpenAPI3, api: Api): void {
  owners.set(document, api);
}

/**
 * OpenAPI 3.1 schemas are JSON Schema 2020-12: the spec document itself is registered with
 * Ajv, so `$ref`s resolve inside it and no schema is ever copied by hand. With a direction, the
 * properties of the other direction alone are left out (see `Direction`); `options` add to Ajv's
 * (`coerceTypes` for values that travel as text, which Ajv then changes in place).
 */
export function specValidator(document: OpenAPI3, direction?: Direction, options: Options = {}): SpecValidator {
  const validator = schemaAt(specAjv(direction ? directional(document, direction) : document, options));
  return (schemaPointer, value) => {
    const validate = validator(schemaPointer);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`.trim());
  };
}

/**
 * Ajv with the whole spec registered once as `spec`, as the toolchain reads it (`specReading`: 3.0's
 * keywords, patterns without the `u` flag, ...), and the formats of ajv-formats: what every
 * validator of the project (and codegen's precompiled ones) starts from. Its schemas are
 * `specSchemaId(ajv, pointer)`, each compiled when first asked for. `options` add to it (codegen's
 * standalone code options); `configure` changes it before the spec is compiled (keywords).
 */
export function specAjv(
  document: OpenAPI3,
  options: Options = {},
  configure: (ajv: Ajv2020) => void = () => {},
): Ajv2020 {
  const ajv = new Ajv2020({
    // The document around the schemas (info, paths, ...) is not a schema.
    strict: false,
    allErrors: true,
    validateSchema: false,
    // A spec may use formats of its own (`google-datetime`): OpenAPI leaves formats open, so they
    // pass unchecked without a warning per schema.
    logger: false,
    ...options,
  });
  addFormats.default(ajv);
  // Code, not a function: codegen's standalone validators (the MSW handlers') carry it too.
  ajv.addKeyword({
    keyword: hiddenKeyword,
    schemaType: "string",
    code: (cxt) => cxt.fail(_`true`),
    error: { message: ({ schema }) => hiddenReasons[schema as keyof typeof hiddenReasons] },
  });
  // RFC 5321 takes a domain of one label (`ops@localhost`); ajv-formats' full `email` wants a dot, its fast one does not.
  ajv.addFormat("email", fastFormats.email!);
  configure(ajv);
  const reading = specReading(document);
  registered.set(ajv, { reading, owner: owners.get(document) });
  try {
    ajv.addSchema(reading.document as object, "spec");
  } catch (error) {
    throw schemaRefused(ajv, "", error);
  }
  return ajv;
}

/** What each `specAjv` instance was given: the reading its ids point into, and the API, if known. */
const registered = new WeakMap<Ajv2020, { reading: SpecReading; owner: Api | undefined }>();

/** The id `specAjv`'s Ajv knows the schema at a JSON pointer of the spec by (`spec#<pointer>`, as read). */
export function specSchemaId(ajv: Ajv2020, schemaPointer: string): string {
  return `spec#${registered.get(ajv)?.reading.pointerOf(schemaPointer) ?? schemaPointer}`;
}

/**
 * The compiled check of a schema of `specAjv`'s Ajv: a JSON pointer of the spec, or an id added
 * to it. A schema Ajv cannot compile is refused naming the API (a `SpecError`, for a document
 * marked by `ownDocument`), the place and Ajv's reason; the caller never sees Ajv's stack.
 */
export function compiledSchema(ajv: Ajv2020, schema: string) {
  const id = schema.startsWith("/") ? specSchemaId(ajv, schema) : schema;
  let validate: ReturnType<Ajv2020["getSchema"]>;
  try {
    validate = ajv.getSchema(id);
  } catch (error) {
    throw schemaRefused(ajv, schema, error);
  }
  if (!validate) throw new Error(`No schema at ${schema}`);
  return validate;
}

function schemaRefused(ajv: Ajv2020, schema: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const owner = registered.get(ajv)?.owner;
  const place = schema === "" ? "" : schema.startsWith("/") ? `#${schema}` : ` (the check ${schema})`;
  const problem = `the schema cannot be compiled (${reason}); fix it there: JSON Schema 2020-12, as OpenAPI 3.1 writes it`;
  if (owner) return new SpecError(owner, [`${repoRelative(owner.specPath, owner.root)}${place}: ${problem}`]);
  return new Error(`Schema${place}: ${problem}`, { cause: error });
}

const schemaAt = (ajv: Ajv2020) => (schemaPointer: string) => compiledSchema(ajv, schemaPointer);
