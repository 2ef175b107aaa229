import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenAPI3, ResponseObject } from "openapi-typescript";
import { jsonPointer, resolveRef, type Operation } from "@contracts/registry";

/** The documented answers of one spec: which response an operation documents, and whether a body fits it. */
export interface SpecAnswers {
  /** JSON pointer of the JSON schema of `status` for the operation, or undefined if it documents none. */
  schemaPointer: (operation: Operation, status: number) => string | undefined;
  /** The first documented example of `status` (its named examples first, then `example`). */
  example: (operation: Operation, status: number) => { found: boolean; value?: unknown };
  /** The names of every documented example of the operation's JSON responses. */
  exampleNames: (operation: Operation) => string[];
  /** The documented status whose response has an example named `name`. */
  statusOfExample: (operation: Operation, name: string) => number | undefined;
  /** True when the value validates against the schema at the pointer. */
  fits: (schemaPointer: string, value: unknown) => boolean;
}

/** The pointer with every `$ref` on the way followed, so that Ajv can find the schema under it. */
function concretePointer(document: OpenAPI3, segments: (string | number)[]): string | undefined {
  let pointer: (string | number)[] = [];
  let node: unknown = document;
  for (const segment of segments) {
    node = (node as Record<string, unknown> | undefined)?.[segment];
    pointer.push(segment);
    if (node === undefined) return undefined;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && ref.startsWith("#/")) {
      pointer = ref.slice(2).split("/").map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
      node = resolveRef(document, node);
    }
  }
  return jsonPointer(...pointer);
}

const jsonMediaType = /^application\/(.+\+)?json$/;

export function specAnswers(document: OpenAPI3): SpecAnswers {
  // strict: false, because the document around the schemas (info, paths, ...) is not a schema.
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
  addFormats.default(ajv);
  ajv.addSchema(document as object, "spec");

  const responseKey = (operation: Operation, status: number) => {
    const responses = operation.object.responses ?? {};
    return [String(status), `${String(status)[0]}XX`, "default"].find((key) => key in responses);
  };
  const jsonContent = (operation: Operation, key: string) => {
    const response = resolveRef<ResponseObject>(document, operation.object.responses![key]!);
    const mediaType = Object.keys(response.content ?? {}).find((type) => jsonMediaType.test(type));
    return mediaType === undefined ? undefined : { mediaType, content: resolveRef(document, response.content![mediaType]!) };
  };

  const namedExamples = (operation: Operation) =>
    Object.keys(operation.object.responses ?? {})
      .filter((key) => /^\d{3}$/.test(key))
      .map((key) => ({ status: Number(key), names: Object.keys(jsonContent(operation, key)?.content.examples ?? {}) }));

  return {
    schemaPointer(operation, status) {
      const key = responseKey(operation, status);
      const json = key && jsonContent(operation, key);
      if (!key || !json) return undefined;
      const segments = operation.pointer.slice(1).split("/").map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
      return concretePointer(document, [...segments, "responses", key, "content", json.mediaType, "schema"]);
    },
    example(operation, status) {
      const key = responseKey(operation, status);
      const json = key && jsonContent(operation, key);
      if (!json) return { found: false };
      const [named] = Object.values(json.content.examples ?? {});
      if (named) return { found: true, value: resolveRef(document, named).value };
      return "example" in json.content ? { found: true, value: json.content.example } : { found: false };
    },
    exampleNames(operation) {
      return namedExamples(operation).flatMap(({ names }) => names);
    },
    statusOfExample(operation, name) {
      return namedExamples(operation).find(({ names }) => names.includes(name))?.status;
    },
    fits(schemaPointer, value) {
      const validate = ajv.getSchema(`spec#${schemaPointer}`);
      return validate !== undefined && validate(value) === true;
    },
  };
}

// Where an error body says in words what went wrong (pipecat `error`, bland `errors[].message`, frontier `message`).
const messageKey = /^(message|error|detail|description|reason|title)$/i;

/** The path of the first human-readable message string in a body, depth first. */
function messagePath(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = messagePath(item, [...path, index]);
      if (found) return found;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === "string" && messageKey.test(key)) return [...path, key];
      const found = messagePath(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

function withValue(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = withValue(copy[head], rest, replacement);
  return copy;
}

/**
 * The documented error body with its message replaced by the actual violations: one list item
 * per violation where the message sits in a list, else all of them in the one message. The
 * template comes back unchanged when it has no message or the result would break the schema.
 */
export function truthfulBody(template: unknown, violations: string[], fits: (value: unknown) => boolean): unknown {
  const path = messagePath(template);
  if (!path || violations.length === 0) return template;
  const listAt = path.map((segment) => typeof segment === "number").lastIndexOf(true);
  const candidate =
    listAt < 0
      ? withValue(template, path, violations.join("; "))
      : withValue(
          template,
          path.slice(0, listAt),
          violations.map((violation) => withValue(itemAt(template, path.slice(0, listAt + 1)), path.slice(listAt + 1), violation)),
        );
  return fits(candidate) ? candidate : template;
}

function itemAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], value);
}
