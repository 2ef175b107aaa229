import path from "node:path";
import { type Api, SpecError } from "@contracts/spec";
import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import type { OpenAPI3 } from "openapi-typescript";
import { readableParameters } from "./parameters.ts";

/**
 * The document with every `$ref` to another file made absolute. Redocly bundles the refs it knows
 * and leaves the rest (`x-topics: { $ref: ./docs/getting-started.md }`), relative to the spec's
 * folder as their author wrote them; Prism would resolve them from the working directory.
 */
function withRefsFromFolder(node: unknown, folder: string): unknown {
  if (Array.isArray(node)) return node.map((item) => withRefsFromFolder(item, folder));
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      const external = key === "$ref" && typeof value === "string" && !value.startsWith("#");
      const isUrl = external && /^[a-z][a-z0-9+.-]*:/i.test(value);
      return [key, external && !isUrl ? path.resolve(folder, value) : withRefsFromFolder(value, folder)];
    }),
  );
}

/**
 * Prism's view of the operations of a document `loadSpec` returned (linted and bundled by the
 * registry's rules, like every tool's), each parameter described as Prism's validators read it
 * (see parameters.ts). A document Prism cannot use is a SpecError.
 */
export async function prismOperations(api: Api, document: OpenAPI3): Promise<IHttpOperation[]> {
  // Prism dereferences the document in place: it gets its own copy.
  const own = withRefsFromFolder(document, path.dirname(api.specPath)) as OpenAPI3;
  const operations = await getHttpOperationsFromSpec(own).catch((error: unknown) => {
    throw new SpecError(api, [`Prism cannot load the spec: ${error instanceof Error ? error.message : String(error)}`]);
  });
  if (operations.length === 0) throw new SpecError(api, ["the spec has no operations"]);
  return operations.map(readableParameters);
}
