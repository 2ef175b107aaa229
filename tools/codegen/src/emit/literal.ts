import { resolveRef } from "@contracts/spec";
import type { OpenAPI3, ReferenceObject, SchemaObject } from "openapi-typescript";

/** Marks an example string that stands for a file (a `format: binary` value): `tsLiteral` writes it as a Blob. */
const blobMark = "\u0000blob:";

/**
 * `value` with each string the schema says is binary (`format: binary`, as a multipart file or a
 * whole binary body) marked as a file, for the typed client, which takes a Blob there.
 */
export function withBlobs(
  document: OpenAPI3,
  schemaOrRef: SchemaObject | ReferenceObject | undefined,
  value: unknown,
): unknown {
  if (schemaOrRef === undefined) return value;
  const schema = resolveRef(document, schemaOrRef) as SchemaObject & {
    properties?: Record<string, SchemaObject>;
    items?: SchemaObject;
  };
  if (typeof value === "string" && "format" in schema && schema.format === "binary") return `${blobMark}${value}`;
  if (Array.isArray(value)) return value.map((item) => withBlobs(document, schema.items, item));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, withBlobs(document, schema.properties?.[name], item)]),
    );
  return value;
}

/**
 * A JSON value as a TypeScript literal with keys unquoted where they can be, as a person would
 * write it (JSON.stringify quotes every key). Multi-line when given an indent, else one line.
 */
export function tsLiteral(value: unknown, indent?: string): string {
  const inner = indent === undefined ? undefined : `${indent}  `;
  const layout = (open: string, items: string[], close: string) => {
    if (items.length === 0) return `${open}${close}`;
    if (inner === undefined) return open === "{" ? `{ ${items.join(", ")} }` : `[${items.join(", ")}]`;
    return `${open}\n${items.map((item) => `${inner}${item},`).join("\n")}\n${indent}${close}`;
  };
  if (Array.isArray(value))
    return layout(
      "[",
      value.map((item) => tsLiteral(item, inner)),
      "]",
    );
  if (typeof value === "object" && value !== null) {
    const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
    return layout(
      "{",
      Object.entries(value).map(([name, item]) => `${key(name)}: ${tsLiteral(item, inner)}`),
      "}",
    );
  }
  if (typeof value === "string" && value.startsWith(blobMark))
    return `new Blob([${JSON.stringify(value.slice(blobMark.length))}])`;
  return JSON.stringify(value) ?? "undefined";
}
