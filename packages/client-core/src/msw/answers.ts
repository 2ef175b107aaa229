/**
 * Which documented answer the mock gives: the one a test or the request's `Prefer` picks, else the
 * lowest 2xx; and, for a request the spec rejects, the status Prism picks with the documented
 * error body telling the violations (client-core's `errorAnswer`, shared with the Prism mocks).
 */

import Negotiator from "negotiator";
import {
  type Answer,
  errorAnswer,
  problemAnswer,
  rejectionStatusOf,
  statusOfExample,
  unknownExampleAnswer,
} from "../mock.ts";
import { responseForStatus } from "../responses.ts";
import type { MockDescription, MockOperation, MockResponse } from "./description.ts";
import type { Violations } from "./requests.ts";

/** What a test or a request's `Prefer` asks for: a status, a named example, or (a test only) a body. */
export interface Choice {
  status?: number;
  example?: string;
  body?: unknown;
}

/** A response's status as sent: its code, `2XX` as 200, `default` as `fallback`. */
const sentStatus = (response: MockResponse, fallback: number) =>
  /^\d{3}$/.test(response.status)
    ? Number(response.status)
    : response.status === "default"
      ? fallback
      : Number(`${response.status[0]}00`);

/** A base64 text's bytes, in Node and in browsers. */
const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));

/** What a response answers unless a test picks another: its file, else its first named example, else its `body`. */
const defaultBody = (response: MockResponse) =>
  response.file !== undefined
    ? bytesOf(response.file)
    : response.examples[0]
      ? response.examples[0].value
      : response.body;

const answerOf = (status: number, response: MockResponse, body: unknown): Answer =>
  response.mediaType === undefined
    ? { status, body: undefined }
    : { status, contentType: response.mediaType, body, ...(response.eventFields && { eventFields: true }) };

const eventStream = "text/event-stream";

/**
 * The media type of `offered` (in the spec's order) that `accept` prefers, as the Prism mocks negotiate:
 * by the `negotiator` package, as Prism's server does (the highest quality, then the most specific
 * range, then the earliest in `Accept`, then the spec's order); no `Accept` takes the spec's first.
 */
export function negotiated(accept: string | null, offered: string[]): string | undefined {
  return new Negotiator({ headers: { accept: accept ?? "*/*" } }).mediaType(offered);
}

/** As Prism does: the lowest 2xx response, else `default` (as 200), else the first; its event stream where `Accept` prefers it. */
function successAnswer(operation: MockOperation, accept: string | null): Answer {
  const success = operation.responses
    .filter((response) => /^2(\d\d|XX)$/i.test(response.status))
    .sort((a, b) => a.status.localeCompare(b.status))[0];
  const response =
    success ?? operation.responses.find((candidate) => candidate.status === "default") ?? operation.responses[0];
  // An operation without responses documents no answer to a valid request: accepted, nothing to say (as the Prism mocks).
  if (response === undefined) return { status: 204, body: undefined };
  const { events } = response;
  const offered = events?.first ? [eventStream, response.mediaType!] : [response.mediaType!, eventStream];
  const streamed = events !== undefined && negotiated(accept, offered) === eventStream;
  const answered: MockResponse = streamed ? { ...events, status: response.status, mediaType: eventStream } : response;
  return answerOf(sentStatus(response, 200), answered, defaultBody(answered));
}

/** The answer to a request the spec accepts (`accept`: the request's `Accept`, which may ask for an event stream). */
export function chosenAnswer(
  name: string,
  operation: MockOperation,
  choice: Choice,
  accept: string | null = null,
): Answer {
  if (choice.example !== undefined) {
    const status = choice.status ?? statusOfExample(operation.responses, choice.example);
    const response = status === undefined ? undefined : responseForStatus(operation.responses, status);
    const example = response?.examples.find((candidate) => candidate.name === choice.example);
    if (!example) return unknownExampleAnswer(name, choice.example, operation.responses);
    return answerOf(status!, response!, example.value);
  }
  if (choice.status !== undefined) {
    const response = responseForStatus(operation.responses, choice.status);
    if (!response) return problemAnswer(404, `Requested status code ${choice.status} is not defined in the document.`);
    return answerOf(choice.status, response, "body" in choice ? choice.body : defaultBody(response));
  }
  return successAnswer(operation, accept);
}

/**
 * The status Prism answers a rejected request with: 401 for credentials; else 422 (also from a
 * `4XX` response), 400, then `default` as 422; with none documented, Prism's own 422.
 */
function rejectionStatus(operation: MockOperation, violations: Violations): number {
  if (violations.credentials.length > 0) return 401;
  return rejectionStatusOf(operation.responses.map((response) => response.status));
}

/** The answer to a request the spec rejects: the documented error body telling the violations. */
export function rejectionAnswer(
  api: MockDescription,
  operation: MockOperation,
  violations: Violations,
  choice: Choice,
): Answer {
  const status = rejectionStatus(operation, violations);
  const response = responseForStatus(operation.responses, status);
  const forced = choice.status === status && choice.example !== undefined;
  const example = response?.examples.find((candidate) => candidate.name === choice.example);
  if (forced && example && response) return answerOf(status, response, example.value);
  return documentedError(api, operation, status, status === 401 ? violations.credentials : violations.request);
}

/** `errorAnswer` for the response the operation documents for `status`, checked by the precompiled response checks. */
export function documentedError(
  api: MockDescription,
  operation: MockOperation,
  status: number,
  violations: string[],
): Answer {
  const response = responseForStatus(operation.responses, status);
  if (response && response.mediaType === undefined) return { status, body: undefined };
  const [named] = response?.examples ?? [];
  const firstExample = named
    ? { value: named.value }
    : response && "body" in response
      ? { value: response.body }
      : undefined;
  const fits =
    response?.checked &&
    ((body: unknown) =>
      api.checks.violationsOf(operation.method.toUpperCase(), operation.path, status, body).length === 0);
  return errorAnswer(
    response === undefined ? undefined : { mediaType: response.mediaType!, firstExample, fits },
    status,
    violations,
  );
}
