import type { OpenAPI3, OperationObject, ReferenceObject } from "openapi-typescript";

export const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface Operation {
  /** The operationId (required by the lint rules). */
  id: string;
  method: HttpMethod;
  /** The path template, e.g. `/v1/orgs/{org_id}/properties`. */
  path: string;
  /** JSON pointer of the operation object in the spec. */
  pointer: string;
  object: OperationObject;
}

/** JSON pointer from path segments (RFC 6901 escaping). */
export function jsonPointer(...segments: (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** Follows a local `$ref` (`#/...`) to the value it names; other values come back unchanged. */
export function resolveRef<T>(document: OpenAPI3, value: T | ReferenceObject): Exclude<T, ReferenceObject> {
  if (typeof value !== "object" || value === null || !("$ref" in value)) return value as Exclude<T, ReferenceObject>;
  const target = value.$ref
    .replace(/^#/, "")
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
  if (target === undefined) throw new Error(`Unresolvable $ref ${value.$ref}`);
  return resolveRef<T>(document, target as T | ReferenceObject);
}

/** Every operation of the spec, in document order. */
export function operationsOf(document: OpenAPI3): Operation[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, pathItemOrRef]) => {
    const pathItem = resolveRef(document, pathItemOrRef);
    return httpMethods.flatMap((method) => {
      const object = pathItem[method] && resolveRef(document, pathItem[method]);
      if (!object) return [];
      return [{ id: object.operationId ?? `${method} ${path}`, method, path, pointer: jsonPointer("paths", path, method), object }];
    });
  });
}

export interface OperationExample {
  /** Each path parameter's first example (its name when it has none). */
  pathParameters: Record<string, string>;
  /** The first named example of the JSON request body, if the operation has one. */
  body: unknown;
}

/** The call the spec's own examples make of an operation: what READMEs and tests start from. */
export function exampleCall(document: OpenAPI3, operation: Operation): OperationExample {
  const parameters = (operation.object.parameters ?? []).map((parameter) => resolveRef(document, parameter));
  const pathParameters = Object.fromEntries(
    parameters
      .filter((parameter) => parameter.in === "path")
      .map((parameter) => {
        const [example] = Object.values(parameter.examples ?? {});
        const value: unknown = (example && resolveRef(document, example).value) ?? parameter.example ?? parameter.name;
        return [parameter.name, String(value)];
      }),
  );
  const requestBody = operation.object.requestBody && resolveRef(document, operation.object.requestBody);
  const content = requestBody?.content["application/json"] && resolveRef(document, requestBody.content["application/json"]);
  const [example] = Object.values(content?.examples ?? {});
  return { pathParameters, body: (example && resolveRef(document, example).value) ?? content?.example };
}
