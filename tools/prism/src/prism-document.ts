import { randomUUID } from "node:crypto";
import path from "node:path";
import { jsonPointer, readKeyword, unicodePattern } from "@contracts/spec";

/** A `$ref` to another file: where it is in the document, as written, and the file it names. */
export interface FileRef {
  pointer: string;
  ref: string;
  file: string;
}

/** A `$ref` to a URL outside any example value: where it is in the document, and the URL. */
export interface UrlRef {
  pointer: string;
  ref: string;
}

/**
 * What a place in an OpenAPI 3 document holds, as far as Prism's dereferencer must be told: which
 * fields are data (an example's value, a schema's `default`...), which hold objects of a known
 * kind, and which are maps or lists of them. A field not listed is walked as plain structure.
 */
type Kind =
  | "root"
  | "components"
  | "pathItem"
  | "operation"
  | "parameter"
  | "mediaType"
  | "encoding"
  | "example"
  | "response"
  | "requestBody"
  | "link"
  | "schema";
type Field = Kind | "data" | { map: Field } | { list: Field } | { schemaOrList: true };

const map = (field: Field): Field => ({ map: field });
const list = (field: Field): Field => ({ list: field });
const operation = "operation" as const;

const fields: Record<Kind, Record<string, Field>> = {
  root: { paths: map("pathItem"), webhooks: map("pathItem"), components: "components" },
  components: {
    schemas: map("schema"),
    responses: map("response"),
    parameters: map("parameter"),
    examples: map("example"),
    requestBodies: map("requestBody"),
    headers: map("parameter"),
    links: map("link"),
    callbacks: map(map("pathItem")),
    pathItems: map("pathItem"),
  },
  pathItem: {
    parameters: list("parameter"),
    ...Object.fromEntries(
      ["get", "put", "post", "delete", "options", "head", "patch", "trace"].map((m) => [m, operation]),
    ),
  },
  operation: {
    parameters: list("parameter"),
    requestBody: "requestBody",
    responses: map("response"),
    callbacks: map(map("pathItem")),
  },
  // A parameter and a header alike.
  parameter: { schema: "schema", content: map("mediaType"), example: "data", examples: map("example") },
  mediaType: { schema: "schema", example: "data", examples: map("example"), encoding: map("encoding") },
  encoding: { headers: map("parameter") },
  example: { value: "data" },
  response: { headers: map("parameter"), content: map("mediaType"), links: map("link") },
  requestBody: { content: map("mediaType") },
  link: { parameters: "data", requestBody: "data" },
  schema: {
    example: "data",
    examples: "data",
    default: "data",
    const: "data",
    enum: "data",
    properties: map("schema"),
    patternProperties: map("schema"),
    dependentSchemas: map("schema"),
    $defs: map("schema"),
    definitions: map("schema"),
    items: { schemaOrList: true },
    prefixItems: list("schema"),
    allOf: list("schema"),
    anyOf: list("schema"),
    oneOf: list("schema"),
    ...Object.fromEntries(
      [
        "not",
        "additionalProperties",
        "additionalItems",
        "unevaluatedItems",
        "unevaluatedProperties",
        "propertyNames",
        "contains",
        "if",
        "then",
        "else",
        "contentSchema",
      ].map((keyword) => [keyword, "schema" as const]),
    ),
  },
};

/** A scheme such as `https:`: the `$ref` names a URL (`file:` URLs are files, read as any other). */
const urlScheme = /^(?!file:)[a-z][a-z0-9+.-]*:/i;
const fileRef = (ref: string) => !/^(#|[a-z][a-z0-9+.-]*:)/i.test(ref);

/**
 * The document Prism is handed, and what `restoreExampleValues` needs to give Prism's operations
 * their example values back.
 *
 * Prism dereferences every `$ref` key in the document it loads, those inside example values
 * included: SCIM data (`"$ref": "https://api.github.com/scim/v2/..."`) made it download that URL at
 * start-up (and, offline, fail), and a `"$ref": "#/..."` in an example was answered as the schema
 * it points to. Here every object of an example value (a media type's, parameter's or header's
 * `example` and `examples[].value`, a schema's `example`, `examples`, `default`, `const`, `enum`, a
 * link's values) that holds a `$ref` key is handed to Prism as a stand-in without one, and put back
 * afterwards: data, never read as a reference.
 *
 * Also, every `$ref` to another file is made absolute: Redocly bundles the refs it knows and leaves
 * the rest (`x-topics: { $ref: ./docs/getting-started.md }`) relative to the spec's folder as their
 * author wrote them; Prism would resolve them from the working directory. And every `$ref` to a URL
 * outside example values is listed, never handed to Prism: the mocks fetch nothing.
 */
export interface PrismDocument {
  document: unknown;
  fileRefs: FileRef[];
  urlRefs: UrlRef[];
  /** The example value objects that hold a `$ref`, by the number their stand-in carries. */
  hidden: unknown[];
  /** The key of the stand-ins, unique to this document. */
  standInKey: string;
}

export function prismDocument(document: unknown, folder: string): PrismDocument {
  const result: PrismDocument = {
    document: undefined,
    fileRefs: [],
    urlRefs: [],
    hidden: [],
    standInKey: `x-contracts-example-value-${randomUUID()}`,
  };

  /** An example value: every object in it that holds a `$ref` key becomes a stand-in. */
  function data(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(data);
    if (typeof node !== "object" || node === null) return node;
    // A `__proto__` key too: Prism's reading of the document drops it (as an object literal would).
    if (Object.hasOwn(node, "$ref") || Object.hasOwn(node, "__proto__")) {
      result.hidden.push(node);
      return { [result.standInKey]: result.hidden.length - 1 };
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, data(value)]));
  }

  function walkField(node: unknown, field: Field | undefined, pointer: string): unknown {
    if (field === "data") return data(node);
    if (field === undefined || typeof field === "string") return walk(node, field, pointer);
    if (Array.isArray(node))
      return node.map((item, index) =>
        walkField(item, "list" in field ? field.list : "map" in field ? undefined : "schema", `${pointer}/${index}`),
      );
    if (typeof node !== "object" || node === null) return node;
    if ("map" in field && !Object.hasOwn(node, "$ref"))
      return Object.fromEntries(
        Object.entries(node).map(([key, value]) => [
          key,
          walkField(value, field.map, `${pointer}/${jsonPointer(key).slice(1)}`),
        ]),
      );
    return walk(node, "schemaOrList" in field ? "schema" : undefined, pointer);
  }

  function walk(node: unknown, kind: Kind | undefined, pointer: string): unknown {
    if (Array.isArray(node)) return node.map((item, index) => walk(item, undefined, `${pointer}/${index}`));
    if (typeof node !== "object" || node === null) return node;
    const known = kind && fields[kind];
    return Object.fromEntries(
      Object.entries(node).flatMap(([key, value]) => {
        if (key === "$ref" && typeof value === "string") {
          if (urlScheme.test(value)) result.urlRefs.push({ pointer, ref: value });
          if (!fileRef(value)) return [[key, value]];
          result.fileRefs.push({
            pointer,
            ref: value,
            file: path.resolve(folder, decodeURIComponent(value.split("#")[0]!)),
          });
          return [[key, path.resolve(folder, value)]];
        }
        // Prism compiles a pattern with the `u` flag and, where that throws (`\:`, valid only without
        // it), checks nothing of the schema at all, its bounds included: it gets the pattern as read.
        if (kind === "schema" && key === "pattern" && typeof value === "string")
          return [[key, unicodePattern(value) ?? value]];
        // So with a keyword of a type JSON Schema does not give it (Discord's `enum: []`): Prism let
        // every parameter of the operation through. It is left out, as the spec layer reads it.
        if (kind === "schema" && readKeyword(node as Record<string, unknown>, key) === undefined) return [];
        const field = known && Object.hasOwn(known, key) ? known[key] : undefined;
        return [[key, walkField(value, field, `${pointer}/${jsonPointer(key).slice(1)}`)]];
      }),
    );
  }

  result.document = walk(document, "root", "");
  return result;
}

/**
 * Puts every example value `prismDocument` hid back in Prism's operations, in place, wherever
 * Prism carried its stand-in (a schema's `example` becomes its `examples`, for instance).
 */
export function restoreExampleValues(operations: unknown, { hidden, standInKey }: PrismDocument): void {
  if (hidden.length === 0) return;
  const seen = new Set<unknown>();
  const original = (node: unknown) => {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
    const index = (node as Record<string, unknown>)[standInKey];
    return typeof index === "number" ? structuredClone(hidden[index]) : undefined;
  };
  const visit = (node: unknown) => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    const container = node as Record<string | number, unknown>;
    for (const key of Object.keys(container)) {
      const restored = original(container[key]);
      if (restored === undefined) visit(container[key]);
      else container[key] = restored;
    }
  };
  visit(operations);
}
