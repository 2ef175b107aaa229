/**
 * What a mock answers, as the spec documents it: a rejected request's documented error answer
 * carrying the actual violations, and the problem body where the spec documents none. One
 * implementation for every mock front, so the Prism mocks' HTTP server and the MSW handlers
 * (`@contracts/client-core/msw`) answer alike. Pure: no Node API, no `eval`, for browsers too.
 */

import statuses from "statuses";
import { type Pagination, pointerSegments, valueAt } from "./pagination.ts";

/** An answer as any front sends it. */
export interface Answer {
  status: number;
  /** Undefined for an answer without a body. */
  contentType?: string;
  /** A JSON value, sent as JSON. */
  body: unknown;
  /** Headers of its own (a list page's `Link`). */
  headers?: Record<string, string>;
  /** An event stream whose events are written field by field (see `eventStreamText`). */
  eventFields?: true;
}

/** An RFC 9457 problem: the answer where the spec documents no shape. */
export function problemAnswer(status: number, detail: string): Answer {
  return {
    status,
    contentType: "application/problem+json",
    body: { type: "about:blank", title: statuses.message[status], status, detail },
  };
}

/** What a request asks a mock to answer with: `Prefer: code=409, example=nameTaken` (RFC 7240), else Prism's `__code`-style query parameters. */
export interface Preferences {
  code?: string;
  example?: string;
  dynamic?: string;
  seed?: string;
}

export function preferencesOf(prefer: string | null | undefined, query: URLSearchParams): Preferences {
  if (!prefer) {
    const given = { code: query.get("__code"), example: query.get("__example"), dynamic: query.get("__dynamic") };
    return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== null));
  }
  const preferences: Record<string, string> = {};
  for (const preference of prefer.split(",")) {
    // A preference's own `;` parameters are not preferences.
    const [token = "", ...value] = preference.split(";")[0]!.split("=");
    const name = token.trim().toLowerCase();
    if (name !== "" && !(name in preferences))
      preferences[name] = value
        .join("=")
        .trim()
        .replace(/^"(.*)"$/, "$1");
  }
  return preferences;
}

/** One documented response's named examples, under its status as the spec writes it (`200`, `4XX`, `default`). */
export interface DocumentedExamples {
  status: string;
  examples: { name: string }[];
}

/** Only exact codes: a status is asked for by number. */
const exactStatuses = <Response extends { status: string }>(responses: Response[]) =>
  responses.filter(({ status }) => /^\d{3}$/.test(status));

/** The names of every documented example of an operation's responses with an exact status. */
export function exampleNames(responses: DocumentedExamples[]): string[] {
  return exactStatuses(responses).flatMap(({ examples }) => examples.map(({ name }) => name));
}

/** The exact status whose response documents an example named `name`. */
export function statusOfExample(responses: DocumentedExamples[], name: string): number | undefined {
  const response = exactStatuses(responses).find(({ examples }) => examples.some((example) => example.name === name));
  return response && Number(response.status);
}

/** The answer to `Prefer: example=<name>` where the operation documents no such example: 404 naming those it does. */
export function unknownExampleAnswer(operation: string, name: string, responses: DocumentedExamples[]): Answer {
  const documented = exampleNames(responses).join(", ") || "none";
  return problemAnswer(404, `Prefer: example=${name} names no example of ${operation}; it documents ${documented}`);
}

/**
 * Why a request's path is refused before anything reads it: a broken percent escape, the client's
 * error (a 400), where Prism's decoder would throw; undefined when it has none.
 */
export function pathEncodingProblem(path: string): string | undefined {
  try {
    decodeURIComponent(path);
    return undefined;
  } catch {
    return `the path ${path} is not valid percent-encoding`;
  }
}

/** The answer to a method a documented path does not have: 405 with `Allow` naming those it does (upper-case). */
export function methodNotAllowedAnswer(method: string, path: string, allow: string[]): Answer {
  const detail = `${method.toUpperCase()} is not documented for ${path}; the spec documents ${allow.join(", ")}`;
  return { ...problemAnswer(405, detail), headers: { allow: allow.join(", ") } };
}

/**
 * An answer as HTTP can send it: a 1xx is never a final answer (a server sends it as an interim
 * one and the client waits on for the answer that follows), so an operation that documents only
 * such a status gets a 501 saying so.
 */
export function finalAnswer(answer: Answer): Answer {
  if (answer.status >= 200) return answer;
  return problemAnswer(
    501,
    `the operation documents ${answer.status}, an informational status HTTP cannot send as a final answer; document the answer that follows it`,
  );
}

/**
 * The status Prism answers a request the spec rejects with (credentials aside, 401): 422, also
 * where a `4XX` response covers it; 400 where only that is documented; else 422 (Prism's own, or
 * `default`'s). `statuses` are the operation's response keys as the spec writes them.
 */
export function rejectionStatusOf(statuses: readonly string[]): 400 | 422 {
  const documented = (status: string) => statuses.some((written) => written.toUpperCase() === status);
  return !documented("422") && !documented("4XX") && documented("400") ? 400 : 422;
}

/** The documented response a rejection's status falls under, as `errorAnswer` needs it. */
export interface DocumentedError {
  /** Its JSON media type. */
  mediaType: string;
  /** Its first example (the first named one, else the single `example`), if any. */
  firstExample: { value: unknown } | undefined;
  /** Whether a body fits the response's schema; undefined when it documents none. */
  fits: ((body: unknown) => boolean) | undefined;
}

/**
 * The answer of `status` to a request the spec rejects, telling the violations: the documented
 * error body (`template`, else the status's first example) with its message replaced by the
 * violations, in the documented media type. A body the spec gives no schema for comes back as it
 * is; without a documented response or any template, a problem body.
 */
export function errorAnswer(
  documented: DocumentedError | undefined,
  status: number,
  violations: string[],
  template?: { body: unknown; contentType?: string },
): Answer {
  const body = template ? { value: template.body } : documented?.firstExample;
  const fits = documented?.fits;
  if (!body) return problemAnswer(status, violations.join("; "));
  if (!fits)
    return template ? { status, ...template } : { status, contentType: documented!.mediaType, body: body.value };
  const truthful = withStatus(truthfulBody(body.value, violations, fits), status, fits);
  return { status, contentType: documented.mediaType, body: truthful };
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

/** A field's lines of an SSE event: one per line of its value (`data`), or the value on one line (`event`, `id`). */
const fieldLines = (name: string, value: string, multiline: boolean) =>
  (multiline ? value.split(/\r\n|\r|\n/) : [value.replaceAll(/\r\n|\r|\n/g, " ")])
    .map((line) => `${name}: ${line}\n`)
    .join("");

/** An event's data as sent: a string as it is, any other value as its JSON. */
const dataText = (data: unknown) => (typeof data === "string" ? data : JSON.stringify(data));

/**
 * One event whose value is the event itself (`fields`): its `event` and `id` (on one line), its
 * `retry` where it is a whole number of ms, and its `data`; a value that is not an object is the data.
 */
function eventFieldsText(item: unknown): string {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return fieldLines("data", dataText(item), true);
  const { event, id, retry, data } = item as Record<string, unknown>;
  return [
    typeof event === "string" ? fieldLines("event", event, false) : "",
    typeof id === "string" || typeof id === "number" ? fieldLines("id", String(id).replaceAll("\0", ""), false) : "",
    Number.isInteger(retry) && (retry as number) >= 0 ? `retry: ${retry}\n` : "",
    fieldLines("data", data === undefined ? "" : dataText(data), true),
  ].join("");
}

/**
 * A `text/event-stream` body from what the spec gives for it, as both mocks serve it: a string is SSE
 * text already, served as written; an array is one event per item, any other value one event, each
 * item's JSON (a string as it is) on `data:` lines, each event ended by a blank line. With `fields`
 * (the event schema describes the event itself: the spec layer's `eventDataSchemaOf`), each item is
 * the event: its `event`, `id`, `retry` and `data` are written as SSE's fields of those names.
 */
export function eventStreamText(value: unknown, fields = false): string {
  if (typeof value === "string") return value;
  return [value]
    .flat()
    .map((item) => `${fields ? eventFieldsText(item) : fieldLines("data", dataText(item), true)}\n`)
    .join("");
}

/**
 * How many pages the mocks serve of a paginated list: enough to walk on, few enough to reach the end;
 * fewer than 10, as a cursor says its page in one digit (see `cursorTo`).
 */
export const mockPages = 3;

/**
 * The cursor to `page`, which the spec's cursor schema accepts: a number where the documented
 * cursor is one; else the cursor's sample (a uuid) with the page's digit written over its last
 * digit; else the page number as text. `pageOfCursor` reads it back.
 */
function cursorTo(pagination: Pagination & { style: "cursor" }, documented: unknown, page: number): string | number {
  if (typeof documented === "number") return page;
  const sample = pagination.cursorSample ?? "";
  const lastDigit = sample.search(/\d\D*$/);
  return lastDigit < 0 ? String(page) : `${sample.slice(0, lastDigit)}${page}${sample.slice(lastDigit + 1)}`;
}

/** The page a cursor the mocks wrote leads to: its last digit (see `cursorTo`); NaN where it has none. */
const pageOfCursor = (cursor: string | null) => Number(cursor?.match(/(\d)\D*$/)?.[1]);

/**
 * The page both mocks answer a paginated operation's request with, so a client walks it to the end:
 * the documented body as every page, page 1 unless the request asks for another (the cursor
 * parameter, or a next link's `page`), its cursor or next link (or `Link` header) leading to the
 * next, and the last one saying there is no more. `url` is the request's, absolute.
 */
export function pageAnswer(pagination: Pagination, answer: Answer, url: URL): Answer {
  if (answer.status < 200 || answer.status > 299 || typeof answer.body !== "object" || answer.body === null)
    return answer;
  const asked =
    pagination.style === "cursor"
      ? pageOfCursor(url.searchParams.get(pagination.cursorParam))
      : Number(url.searchParams.get("page"));
  const page = Number.isInteger(asked) && asked > 1 && asked <= mockPages ? asked : 1;
  const last = page === mockPages;
  const next = new URL(url);
  next.searchParams.set("page", String(page + 1));
  const at = (body: unknown, pointer: string, value: unknown) => withValue(body, pointerSegments(pointer), value);
  switch (pagination.style) {
    case "cursor": {
      const cursor = cursorTo(pagination, valueAt(answer.body, pagination.nextCursor), page + 1);
      const body = at(answer.body, pagination.nextCursor, last && !pagination.hasMore ? null : cursor);
      return { ...answer, body: pagination.hasMore ? at(body, pagination.hasMore, !last) : body };
    }
    case "next-link":
      return { ...answer, body: at(answer.body, pagination.next, last ? null : next.href) };
    case "link-header":
      return last ? answer : { ...answer, headers: { link: `<${next.href}>; rel="next"` } };
  }
}
