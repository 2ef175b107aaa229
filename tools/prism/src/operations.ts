import path from "node:path";
import { type Api, repoRelative, SpecError } from "@contracts/spec";
import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import type { OpenAPI3 } from "openapi-typescript";
import { readableForms } from "./forms.ts";
import { int64Bounds } from "./integers.ts";
import { readableParameters } from "./parameters.ts";
import { prismDocument, restoreExampleValues } from "./prism-document.ts";

/** A schema as Prism's spec reader leaves it: the keywords the spec wrote are listed under `x-stoplight`. */
interface PrismSchema {
  format?: unknown;
  minimum?: number;
  maximum?: number;
  "x-stoplight"?: { explicitProperties?: string[] };
}

/**
 * Every `int64` under `node` given `bounds` where the spec writes none of its own, in place (the
 * operations are Prism's own copy): a request's int64's range (see integers.ts), a response's none,
 * so that a body sampled from a schema takes 0, not a bound, which JSON prints as 9223372036854776000.
 */
function withInt64Bounds(node: unknown, bounds: { minimum?: number; maximum?: number }, seen = new Set<unknown>()) {
  if (typeof node !== "object" || node === null || seen.has(node)) return;
  seen.add(node);
  const schema = node as PrismSchema;
  if (schema.format === "int64") {
    const written = schema["x-stoplight"]?.explicitProperties ?? [];
    for (const bound of ["minimum", "maximum"] as const) {
      if (written.includes(bound)) continue;
      if (bounds[bound] === undefined) delete schema[bound];
      else schema[bound] = bounds[bound];
    }
  }
  for (const value of Object.values(node)) withInt64Bounds(value, bounds, seen);
}

/**
 * Prism's view of the operations of a document `loadSpec` returned (linted and bundled by the
 * registry's rules, like every tool's), each parameter and form body described as Prism's validators
 * read it (see parameters.ts, forms.ts). A document Prism cannot use is a SpecError.
 */
export async function prismOperations(api: Api, document: OpenAPI3): Promise<IHttpOperation[]> {
  // Prism dereferences the document in place: it gets its own copy, whose example values it cannot
  // take for references and whose other files' refs resolve from the spec's folder (prism-document.ts).
  const own = prismDocument(document, path.dirname(api.specPath));
  const spec = repoRelative(api.specPath, api.root);
  if (own.urlRefs.length > 0)
    throw new SpecError(
      api,
      own.urlRefs.map(
        ({ pointer, ref }) =>
          `${spec}#${pointer}: the $ref ${ref} names a URL, and the mocks fetch nothing; save a copy of it beside the spec and $ref that file instead`,
      ),
    );
  const operations = await getHttpOperationsFromSpec(own.document as OpenAPI3).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const unreadable = own.fileRefs.filter(({ file }) => message.includes(file));
    throw new SpecError(
      api,
      unreadable.length > 0
        ? unreadable.map(
            ({ pointer, ref, file }) =>
              `${spec}#${pointer}: the $ref ${ref} names ${repoRelative(file, api.root)}, which cannot be read; add the file or correct the $ref`,
          )
        : [`Prism cannot load the spec: ${message}`],
    );
  });
  restoreExampleValues(operations, own);
  if (operations.length === 0)
    throw new SpecError(api, ["the spec has no paths to serve (a spec of webhooks alone has no operation to mock)"]);
  for (const operation of operations) {
    withInt64Bounds(operation.request, int64Bounds);
    withInt64Bounds(operation.responses, {});
  }
  return operations.map((operation) => readableParameters(readableForms(withAnswer(operation))));
}

/**
 * An operation without `responses` documents no answer to a valid request: Prism, finding none,
 * would fail before checking the request. It gets a bodiless 204 (accepted, nothing to say), so
 * that Prism checks the request and answers one that breaks the spec with its own 422.
 */
function withAnswer(operation: IHttpOperation): IHttpOperation {
  if (operation.responses.length > 0) return operation;
  return { ...operation, responses: [{ id: `${operation.id}-no-response`, code: "204", contents: [], headers: [] }] };
}
