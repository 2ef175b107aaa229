import { createConfig } from "@redocly/openapi-core";
import openapiTS, { astToString, type SchemaObject } from "openapi-typescript";
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

/**
 * `src/generated/schema.ts`: the spec's types, from openapi-typescript's Node API, with
 * `readOnly`/`writeOnly` properties marked (`$Read`, `$Write`) for client-core's body types to
 * leave out of requests and responses.
 */
export async function emitSchemaTypes(
  api: Pick<ApiModel, "specFile" | "document" | "readWriteMarkers">,
): Promise<string> {
  alreadyLinted ??= createConfig({ rules: {} });
  const nodes = await openapiTS(api.document, {
    silent: true,
    redocly: await alreadyLinted,
    // An object schema without properties accepts any object (JSON Schema): `Record<string, unknown>`,
    // not openapi-typescript's default `Record<string, never>`, which refuses every filter Pinecone documents.
    emptyObjectsUnknown: true,
    readWriteMarkers: api.readWriteMarkers,
    transform: binaryAsBlob,
  });
  return `${generatedHeader(api)}\n${astToString(nodes)}`;
}

export const schemaEmitter: Emitter = {
  name: "schema",
  files: async (api) => ({ "src/generated/schema.ts": await emitSchemaTypes(api) }),
};
