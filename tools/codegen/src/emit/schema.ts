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
  const nodes = await openapiTS(api.document, { silent: true, redocly: await alreadyLinted });
  return `${generatedHeader(api)}\n${astToString(nodes)}`;
}
