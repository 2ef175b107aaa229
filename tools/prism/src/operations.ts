import { type Api, SpecError } from "@contracts/spec";
import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import type { OpenAPI3 } from "openapi-typescript";

/**
 * Prism's view of the operations of a document `loadSpec` returned (linted and bundled by the
 * registry's rules, like every tool's). A document Prism cannot use is a SpecError.
 */
export async function prismOperations(api: Api, document: OpenAPI3): Promise<IHttpOperation[]> {
  // Prism dereferences the document in place: it gets its own copy.
  const operations = await getHttpOperationsFromSpec(structuredClone(document)).catch((error: unknown) => {
    throw new SpecError(api, [`Prism cannot load the spec: ${error instanceof Error ? error.message : String(error)}`]);
  });
  if (operations.length === 0) throw new SpecError(api, ["the spec has no operations"]);
  return operations;
}
