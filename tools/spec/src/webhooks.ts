import type { OpenAPI3, OperationObject, PathItemObject, ReferenceObject } from "openapi-typescript";
import { jsonMediaTypeOf } from "./bodies.ts";
import { httpMethods, operationsOf } from "./operations.ts";
import { concretePointer, jsonPointer, pointerSegments, resolveRef } from "./pointers.ts";

/** A request the API sends to its caller (a webhook, or a callback of one operation), with a JSON body. */
export interface IncomingRequest {
  /** The webhook's name, or `<operationId>.<callback name>` for a callback. */
  name: string;
  kind: "webhook" | "callback";
  method: string;
  /** The body schema as written (a `$ref` stays one). */
  schema: unknown;
  /** Where that schema is, `$ref`s on the way followed. */
  schemaPointer: string;
}

function incomingOf(
  document: OpenAPI3,
  pathItem: PathItemObject | ReferenceObject,
  pointer: string[],
): { method: string; schema: unknown; schemaPointer: string } | undefined {
  const item = resolveRef(document, pathItem);
  for (const method of httpMethods) {
    const operation = item[method] && (resolveRef(document, item[method]) as OperationObject);
    const body = operation?.requestBody && resolveRef(document, operation.requestBody);
    const mediaType = jsonMediaTypeOf(body?.content);
    if (!body || mediaType === undefined) continue;
    const written = jsonPointer(...pointer, method, "requestBody", "content", mediaType, "schema");
    return {
      method,
      schema: resolveRef(document, body.content[mediaType]!).schema,
      schemaPointer: concretePointer(document, written) ?? written,
    };
  }
  return undefined;
}

/**
 * Every webhook (3.1 `webhooks`) and callback (the first expression of each operation's
 * `callbacks` entry) whose request has a JSON body, in document order: what the receiving side of
 * an integration validates.
 */
export function incomingRequestsOf(document: OpenAPI3): IncomingRequest[] {
  const webhooks = Object.entries((document as { webhooks?: Record<string, PathItemObject> }).webhooks ?? {}).flatMap(
    ([name, pathItem]) => {
      const incoming = incomingOf(document, pathItem, ["webhooks", name]);
      return incoming ? [{ name, kind: "webhook" as const, ...incoming }] : [];
    },
  );
  const callbacks = operationsOf(document).flatMap((operation) =>
    Object.entries(operation.object.callbacks ?? {}).flatMap(([callbackName, callbackOrRef]) => {
      const [expression, pathItem] = Object.entries(resolveRef(document, callbackOrRef))[0] ?? [];
      if (expression === undefined || pathItem === undefined) return [];
      const pointer = [...pointerSegments(operation.pointer), "callbacks", callbackName, expression];
      const incoming = incomingOf(document, pathItem as PathItemObject, pointer);
      return incoming ? [{ name: `${operation.id}.${callbackName}`, kind: "callback" as const, ...incoming }] : [];
    }),
  );
  return [...webhooks, ...callbacks];
}
