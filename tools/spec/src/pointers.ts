// JSON pointers into a spec, and the local `$ref`s they cross.
import type { OpenAPI3, ReferenceObject } from "openapi-typescript";

/** JSON pointer from path segments (RFC 6901 escaping). */
export function jsonPointer(...segments: (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** The path segments of a JSON pointer (`/a~1b/c` or `#/a~1b/c`), unescaped. */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .replace(/^#/, "")
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

const isLocalRef = (value: unknown): value is ReferenceObject =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { $ref?: unknown }).$ref === "string" &&
  (value as ReferenceObject).$ref.startsWith("#");

/** Follows a local `$ref` (`#/...`) to the value it names; other values come back unchanged. */
export function resolveRef<T>(document: OpenAPI3, value: T | ReferenceObject): Exclude<T, ReferenceObject> {
  if (!isLocalRef(value)) return value as Exclude<T, ReferenceObject>;
  const target = pointerSegments(value.$ref).reduce<unknown>(
    (node, key) => (node as Record<string, unknown> | undefined)?.[key],
    document,
  );
  if (target === undefined) throw new Error(`Unresolvable $ref ${value.$ref}`);
  return resolveRef<T>(document, target as T | ReferenceObject);
}

/**
 * `resolveRef` for code that only looks (detection, readings): undefined for no value or a `$ref`
 * that leads nowhere, which lint and the validators refuse with its place.
 */
export function resolvedOrNone<T>(document: OpenAPI3, value: T | ReferenceObject | undefined) {
  try {
    return value === undefined ? undefined : resolveRef<T>(document, value);
  } catch {
    return undefined;
  }
}

/**
 * The pointer with every `$ref` met on the way followed, or undefined where nothing is there:
 * a validator given the whole document (Ajv) cannot see through a `$ref` in the middle of a path.
 */
export function concretePointer(document: OpenAPI3, pointer: string): string | undefined {
  let segments: string[] = [];
  let node: unknown = document;
  for (const segment of pointerSegments(pointer)) {
    node = (node as Record<string, unknown> | undefined)?.[segment];
    segments.push(segment);
    if (node === undefined) return undefined;
    if (isLocalRef(node)) {
      segments = pointerSegments(node.$ref);
      node = resolveRef(document, node);
    }
  }
  return jsonPointer(...segments);
}
