import { type Operation, responseForStatus, responsesOf, specValidator } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";

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

export function specAnswers(document: OpenAPI3): SpecAnswers {
  const validate = specValidator(document);

  const responseOf = (operation: Operation, status: number) =>
    responseForStatus(responsesOf(document, operation), status);
  // Only exact codes: `Prefer: code=` needs a number.
  const exactResponses = (operation: Operation) =>
    responsesOf(document, operation).filter(({ status }) => /^\d{3}$/.test(status));

  return {
    schemaPointer(operation, status) {
      const response = responseOf(operation, status);
      return response?.schema === undefined ? undefined : response.schemaPointer;
    },
    example(operation, status) {
      const example = responseOf(operation, status)?.firstExample;
      return example ? { found: true, value: example.value } : { found: false };
    },
    exampleNames(operation) {
      return exactResponses(operation).flatMap(({ examples }) => examples.map(({ name }) => name));
    },
    statusOfExample(operation, name) {
      const response = exactResponses(operation).find(({ examples }) =>
        examples.some((example) => example.name === name),
      );
      return response && Number(response.status);
    },
    fits(schemaPointer, value) {
      return validate(schemaPointer, value).length === 0;
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
          violations.map((violation) =>
            withValue(itemAt(template, path.slice(0, listAt + 1)), path.slice(listAt + 1), violation),
          ),
        );
  return fits(candidate) ? candidate : template;
}

function itemAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], value);
}
