import { isObject, resolveRef } from "@contracts/spec";
import { createConfig } from "@redocly/openapi-core";
import openapiTS, { astToString, type OpenAPI3, type SchemaObject, stringToAST } from "openapi-typescript";
import ts from "typescript";
import type { Emitter } from "../emitter.ts";
import { generatedHeader } from "../header.ts";
import type { ApiModel } from "../model.ts";

// loadSpec linted the document with the project's rules already: openapi-typescript gets a config
// without rules, created once, instead of building its own "minimal" ruleset and linting again per API.
let alreadyLinted: ReturnType<typeof createConfig> | undefined;

const blob = ts.factory.createTypeReferenceNode("Blob");
const blobOrNull = ts.factory.createUnionTypeNode([blob, ts.factory.createLiteralTypeNode(ts.factory.createNull())]);

/** A `format: binary` string (a file of a multipart body, a binary body) is a Blob: what the client sends and reads. */
function binaryAsBlob(schema: SchemaObject): ts.TypeNode | undefined {
  if (!("format" in schema) || schema.format !== "binary") return undefined;
  const nullable =
    ("nullable" in schema && schema.nullable) || (Array.isArray(schema.type) && schema.type.includes("null"));
  return nullable ? blobOrNull : blob;
}

type Node = Record<string, unknown>;

/** The values a schema allows its property `name` (`const`, or an `enum`), its own or an `allOf` member's. */
function fixedValues(document: OpenAPI3, schema: unknown, name: string): unknown[] {
  if (!isObject(schema)) return [];
  const resolved = resolveRef(document, schema as Node);
  const property = isObject(resolved.properties) ? resolved.properties[name] : undefined;
  if (isObject(property)) {
    const own = resolveRef(document, property as Node);
    if ("const" in own) return [own.const];
    if (Array.isArray(own.enum) && own.enum.length > 0) return own.enum;
  }
  const members = Array.isArray(resolved.allOf) ? resolved.allOf : [];
  return members.map((member) => fixedValues(document, member, name)).find((values) => values.length > 0) ?? [];
}

/**
 * The document openapi-typescript types, read as the validators and mocks read it:
 * - Discriminators map each value a branch allows (`const: v` or `enum: [v, w]` on the
 *   discriminating property of a `$ref`ed branch) to that branch, where the spec leaves it to
 *   OpenAPI's implicit mapping (OpenAI's comparison filters: `eq`, `ne`, ...). openapi-typescript types an unmapped branch's property as the branch's schema name,
 *   which the branch itself, the validators and every server refuse: OpenAI's chat messages were
 *   typed `role: "ChatCompletionRequestUserMessage"`, never `"user"`.
 * - An `enum: []` is left out, as the spec layer's reading leaves it out (with a warning): typed, it
 *   made Discord's join-request `action` a property no value can be sent in.
 * - A schema's `$defs` that no `$ref` points into is left out: openapi-typescript types it as a
 *   required property named `$defs` (Mistral's `AudioTranscriptionRequest`), which no body sends.
 */
function asTheValidatorsReadIt(document: OpenAPI3): OpenAPI3 {
  const copy = structuredClone(document);
  const holdingDefs: Node[] = [];
  let refersIntoDefs = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isObject(node)) return;
    if (Array.isArray(node.enum) && node.enum.length === 0) delete node.enum;
    if (isObject(node.$defs)) holdingDefs.push(node);
    if (typeof node.$ref === "string" && node.$ref.includes("/$defs/")) refersIntoDefs = true;
    const discriminator = node.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
    const branches = [node.oneOf, node.anyOf].find(Array.isArray) as unknown[] | undefined;
    if (typeof discriminator?.propertyName === "string" && branches) {
      const mapping = { ...discriminator.mapping };
      const mapped = new Set(Object.values(mapping));
      for (const branch of branches) {
        const ref = isObject(branch) && typeof branch.$ref === "string" ? branch.$ref : undefined;
        const values = ref && !mapped.has(ref) ? fixedValues(copy, branch, discriminator.propertyName) : [];
        for (const value of values) if (typeof value === "string" && !(value in mapping)) mapping[value] = ref!;
      }
      discriminator.mapping = mapping;
    }
    Object.values(node).forEach(visit);
  };
  visit(copy);
  if (!refersIntoDefs) for (const node of holdingDefs) delete node.$defs;
  return copy;
}

/**
 * `src/generated/schema.ts`: the spec's types, from openapi-typescript's Node API, with
 * `readOnly`/`writeOnly` properties marked (`$Read`, `$Write`) for client-core's body types to
 * leave out of requests and responses.
 */
export async function emitSchemaTypes(
  api: Pick<ApiModel, "specFile" | "document" | "readWriteMarkers">,
): Promise<string> {
  alreadyLinted ??= createConfig({ rules: {} });
  const nodes = await openapiTS(asTheValidatorsReadIt(api.document), {
    silent: true,
    redocly: await alreadyLinted,
    // An object schema without properties accepts any object (JSON Schema): `Record<string, unknown>`,
    // not openapi-typescript's default `Record<string, never>`, which refuses every filter Pinecone documents.
    emptyObjectsUnknown: true,
    readWriteMarkers: api.readWriteMarkers,
    transform: binaryAsBlob,
  });
  return `${generatedHeader(api)}\n${astToString(nodes.map(withRequiredOfNullable))}`;
}

/**
 * openapi-typescript's `WithRequired<T, K extends keyof T>`, for `required` beside an `allOf`, takes
 * no nullable `T`: Plaid's `allOf: [{ $ref: <nullable: true> }, ...]` with `required` gave `keyof (X |
 * null)`, `never`, and a schema.ts that does not compile. The keys are the non-null type's; `T & {...}`
 * leaves null out anyway, as the `allOf`'s object does.
 */
const [withRequired] = stringToAST(
  "type WithRequired<T, K extends keyof NonNullable<T>> = T & { [P in K]-?: NonNullable<T>[P] };",
) as ts.Node[];

const withRequiredOfNullable = (node: ts.Node): ts.Node =>
  ts.isTypeAliasDeclaration(node) && node.name.text === "WithRequired" ? withRequired! : node;

export const schemaEmitter: Emitter = {
  name: "schema",
  files: async (api) => ({ "src/generated/schema.ts": await emitSchemaTypes(api) }),
};
