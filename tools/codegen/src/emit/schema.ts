import { createConfig } from "@redocly/openapi-core";
import openapiTS, { astToString } from "openapi-typescript";
import type { ApiModel } from "../model.ts";
import { generatedHeader } from "./header.ts";

// loadSpec linted the document with the project's rules already: openapi-typescript gets a config
// without rules, created once, instead of building its own "minimal" ruleset and linting again per API.
let alreadyLinted: ReturnType<typeof createConfig> | undefined;

/** `src/generated/schema.ts`: the spec's types, from openapi-typescript's Node API. */
export async function emitSchemaTypes(api: ApiModel): Promise<string> {
  alreadyLinted ??= createConfig({ rules: {} });
  // An object schema without properties accepts any object (JSON Schema): `Record<string, unknown>`,
  // not openapi-typescript's default `Record<string, never>`, which refuses every filter Pinecone documents.
  const nodes = await openapiTS(api.document, {
    silent: true,
    redocly: await alreadyLinted,
    emptyObjectsUnknown: true,
  });
  return `${generatedHeader(api)}\n${astToString(nodes)}`;
}
