import { _, type Options } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { fastFormats } from "ajv-formats/dist/formats.js";
import type { OpenAPI3 } from "openapi-typescript";
import { resolveRef } from "./operations.ts";

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
 * The document as a validator of one direction sees it: every property the other direction alone
 * has left out of `required`, and refused where it is present (OpenAPI: readOnly properties "SHOULD
 * NOT be sent as part of the request", writeOnly ones "SHOULD NOT be sent as part of the response").
 */
export function directional(document: OpenAPI3, direction: Direction): OpenAPI3 {
  const keyword = hiddenIn[direction];
  const hidden = (property: unknown) => {
    try {
      return (resolveRef(document, property as object) as Record<string, unknown>)[keyword] === true;
    } catch {
      return false;
    }
  };
  const copy = structuredClone(document);
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
  return copy;
}

/**
 * OpenAPI 3.1 schemas are JSON Schema 2020-12: the spec document itself is registered with
 * Ajv, so `$ref`s resolve inside it and no schema is ever copied by hand. With a direction, the
 * properties of the other direction alone are left out (see `Direction`).
 */
export function specValidator(document: OpenAPI3, direction?: Direction): SpecValidator {
  const validator = schemaAt(specAjv(direction ? directional(document, direction) : document));
  return (schemaPointer, value) => {
    const validate = validator(schemaPointer);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`.trim());
  };
}

/**
 * Ajv with the whole spec registered as `spec` (its schemas are `spec#<pointer>`) and the
 * formats of ajv-formats: what every validator of the project (and codegen's precompiled ones)
 * starts from. `options` add to it (codegen's standalone code options); `configure` changes it
 * before the spec is compiled (keywords).
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
  ajv.addSchema(document as object, "spec");
  return ajv;
}

const schemaAt = (ajv: Ajv2020) => (schemaPointer: string) => {
  const validate = ajv.getSchema(`spec#${schemaPointer}`);
  if (!validate) throw new Error(`No schema at ${schemaPointer}`);
  return validate;
};

/**
 * Finds the properties of a request body that its schema marks `readOnly` (OpenAPI: they "SHOULD
 * NOT be sent as part of the request"), as JSON pointers into the body, e.g. `/id`. Whatever else
 * the body breaks is the schema validator's to say.
 */
export type ReadOnlyFinder = (schemaPointer: string, value: unknown) => string[];

export function readOnlyFinder(document: OpenAPI3): ReadOnlyFinder {
  const validator = schemaAt(
    specAjv(document, {}, (ajv) => {
      // An annotation to Ajv; here a property it applies to must not be there at all.
      ajv.removeKeyword("readOnly");
      ajv.addKeyword({ keyword: "readOnly", schemaType: "boolean", validate: (readOnly: boolean) => !readOnly });
    }),
  );
  return (schemaPointer, value) => {
    const validate = validator(schemaPointer);
    validate(value);
    const found = (validate.errors ?? []).filter((error) => error.keyword === "readOnly");
    return [...new Set(found.map((error) => error.instancePath))];
  };
}
