/**
 * The one body-mutation engine: wrong-type, missing-key and extra-key variants of a JSON body.
 * Codegen's type tests (calls that must not compile) and the test kit's contract cases
 * (requests the mock must reject) both build their bodies here.
 */

/** A JSON value, as a request body travels. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A JSON object (not an array, not null). */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The property name no spec defines: every "unknown key" case uses this one. */
export const unknownKey = "notInTheSpec";

/** A property name outside Latin-1, which an HTTP header cannot carry (Prism once crashed on one). */
export const nonAsciiKey = "ключ-ā-鍵";

/** Text outside ASCII: a Latin-1 accent, a letter outside Latin-1, CJK and an astral-plane emoji. */
export const nonAsciiText = "Zürich ā 東京 😀";

/** The six JSON types, as JSON Schema's `type` names them (`integer` is a kind of number). */
export const jsonTypes = ["null", "boolean", "number", "string", "array", "object"] as const;
export type JsonType = (typeof jsonTypes)[number];

/** One value of each JSON type; 1.5 for number, so that it is not an integer either. */
const sampleOfType: Record<JsonType, Json> = {
  null: null,
  boolean: true,
  number: 1.5,
  string: "text",
  array: [],
  object: {},
};

/** One value of every JSON type a schema's `type` list does not allow (none when it lists none). */
export function wrongTypeValues(allowed: readonly string[]): { type: JsonType; value: Json }[] {
  if (allowed.length === 0) return [];
  return jsonTypes.filter((type) => !allowed.includes(type)).map((type) => ({ type, value: sampleOfType[type] }));
}

/** The value at a path of object keys, if there is one. */
export function valueAt(body: Json | undefined, path: readonly string[]): Json | undefined {
  return path.reduce<Json | undefined>((node, key) => (isObject(node) ? node[key] : undefined), body);
}

/** A copy of `body` with `value` at `path` (parent objects created as needed), or without the key when `value` is undefined. */
export function withValue(body: Json | undefined, path: readonly string[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const [key, ...rest] = path as [string, ...string[]];
  const node = isObject(body) ? { ...body } : {};
  if (rest.length === 0 && value === undefined) delete node[key];
  else node[key] = withValue(node[key], rest, value);
  return node;
}

/** A copy of `body` without the key at `path`. */
export function withoutKey(body: Json | undefined, path: readonly string[]): Json {
  return withValue(body, path, undefined);
}

/** A copy of `body` with the unknown key added to the object at `path` (the root by default). */
export function withUnknownKey(body: Json | undefined, path: readonly string[] = []): Json {
  return withValue(body, [...path, unknownKey], true);
}

/** Paths (object keys only) of every object in `body`, the root first. */
export function objectPaths(body: Json | undefined, path: string[] = []): string[][] {
  if (!isObject(body)) return [];
  return [path, ...Object.entries(body).flatMap(([key, child]) => objectPaths(child, [...path, key]))];
}

/** Paths (object keys only) of every string, number and boolean in `body`, in document order. */
export function primitivePaths(body: Json | undefined, path: string[] = []): string[][] {
  if (isObject(body)) return Object.entries(body).flatMap(([key, child]) => primitivePaths(child, [...path, key]));
  return body === null || body === undefined || Array.isArray(body) ? [] : [path];
}

/** A value no type checker confuses with the one given: a number for a string and so on. */
const contrasting = { string: 42, number: "42", boolean: "true" } as const;

/** The body with its first string, number or boolean swapped for a value of another type; undefined if it has none. */
export function withFirstWrongType(body: Json | undefined): Json | undefined {
  const [path] = primitivePaths(body);
  if (!path) return undefined;
  return withValue(body, path, contrasting[typeof valueAt(body, path) as keyof typeof contrasting]);
}
