import openapiTS, { astToString } from "openapi-typescript";
import type { ApiModel } from "../model.ts";
import { generatedHeader } from "./header.ts";

/** `src/generated/schema.ts`: the spec's types, from openapi-typescript's Node API. */
export async function emitSchemaTypes(api: ApiModel): Promise<string> {
  // The document was linted and bundled by loadSpec already; openapi-typescript's own check is silent.
  const nodes = await openapiTS(api.document, { silent: true });
  return `${generatedHeader(api)}\n${astToString(nodes)}`;
}
