/**
 * What a mock answers, as the spec documents it: the documented examples, and a rejected
 * request's documented error answer carrying the actual violations. Pure (no Node API), so that
 * every mock front shares it: the Prism mocks' HTTP server and in-process handlers alike.
 */

import type { OpenAPI3 } from "openapi-typescript";
import statuses from "statuses";
import { type Operation, responseForStatus, responsesOf } from "./operations.ts";
import { specValidator } from "./validator.ts";

/**
 * The response header a mock sets on an answer whose status the operation does not document
 * (Prism's own 401, 404, 422, ...): a gap in the spec, not a contract. Its value is the status.
 */
export const undocumentedHeader = "x-contracts-undocumented";

/** An answer as any front sends it. */
export interface Answer {
  status: number;
  /** Undefined for an answer without a body. */
  contentType?: string;
  /** A JSON value, sent as JSON. */
  body: unknown;
}

/** An RFC 9457 problem: the answer where the spec documents no shape. */
export function problemAnswer(status: number, detail: string): Answer {
  return {
    status,
    contentType: "application/problem+json",
    body: { type: "about:blank", title: statuses.message[status], status, detail },
  };
}

/** The documented answers of one spec's operations. */
export interface DocumentedAnswers {
  /** The names of every documented example of the operation's responses with an exact status. */
  exampleNames: (operation: Operation) => string[];
  /** The exact status whose response documents an example named `name`. */
  statusOfExample: (operation: Operation, name: string) => number | undefined;
  /** True when the operation documents `status`: its exact code, its range (`4XX`) or `default`. */
  documents: (operation: Operation, status: number) => boolean;
  /**
   * The answer of `status` to a request the spec rejects, telling the violations: the documented
   * error body (`template`, else the status's first example) with its message replaced by the
   * violations, in the documented media type. A `template` the spec gives no JSON schema for
   * comes back as it is; without an operation or any template, a problem body.
   */
  errorAnswer: (
    operation: Operation | undefined,
    status: number,
    violations: string[],
    template?: { body: unknown; contentType?: string },
  ) => Answer;
}

export function documentedAnswers(document: OpenAPI3): DocumentedAnswers {
  const validate = specValidator(document);
  // Only exact codes: a status is asked for by number.
  const exactResponses = (operation: Operation) =>
    responsesOf(document, operation).filter(({ status }) => /^\d{3}$/.test(status));

  return {
    exampleNames(operation) {
      return exactResponses(operation).flatMap(({ examples }) => examples.map(({ name }) => name));
    },
    statusOfExample(operation, name) {
      const response = exactResponses(operation).find(({ examples }) =>
        examples.some((example) => example.name === name),
      );
      return response && Number(response.status);
    },
    documents(operation, status) {
      return responseForStatus(responsesOf(document, operation), status) !== undefined;
    },
    errorAnswer(operation, status, violations, template) {
      const documented = operation && responseForStatus(responsesOf(document, operation), status);
      const body = template ? { value: template.body } : documented?.firstExample;
      if (!documented?.schema || !body) {
        return template ? { status, ...template } : problemAnswer(status, violations.join("; "));
      }
      const fits = (value: unknown) => validate(documented.schemaPointer, value).length === 0;
      const truthful = withStatus(truthfulBody(body.value, violations, fits), status, fits);
      return { status, contentType: documented.mediaType, body: truthful };
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

function itemAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], value);
}

/**
 * The body with its `status` member (RFC 9457 problems have one) saying the status it is sent
 * with: an example written for another status (a `4XX` example's 400 under a 401) would otherwise
 * contradict its answer. Unchanged when it has none or the result would break the schema.
 */
function withStatus(body: unknown, status: number, fits: (value: unknown) => boolean): unknown {
  if (typeof body !== "object" || body === null || !("status" in body)) return body;
  const written = (body as { status: unknown }).status;
  if (typeof written !== "number" && typeof written !== "string") return body;
  if (written === status || written === String(status)) return body;
  const candidate = { ...body, status: typeof written === "string" ? String(status) : status };
  return fits(candidate) ? candidate : body;
}

/**
 * The error body with its message replaced by the violations: one list item per violation where
 * the message sits in a list, else all of them in the one message. The body comes back unchanged
 * when it has no message or the result would break the schema.
 */
function truthfulBody(template: unknown, violations: string[], fits: (value: unknown) => boolean): unknown {
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
