import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { type Answer, problemAnswer } from "@contracts/client-core/mock";
import {
  BodyTooLarge,
  describeValidations,
  flatHeaders,
  parseBody,
  prismOperations,
  prismRequest,
  readBytes,
  reasonsFor,
  violationsHeader,
} from "@contracts/prism";
import { type Api, exampleCall, loadSpec, type Operation, operationsOf, pathPattern } from "@contracts/spec";
import { type IHttpConfig, type PrismHttpInstance, ProblemJsonError } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import { type DocumentedAnswers, documentedAnswers } from "./answers.ts";

/** Request bodies above this many bytes get 413: the specs' bodies are a few hundred bytes. */
export const maxBodyBytes = 1024 * 1024;

/** What one API's mock answers with; replaced as a whole on reload, so a request sees one version. */
export interface ServedSpec {
  /** Prism's view of the operations. */
  operations: IHttpOperation[];
  /** The spec's own view of them (pointers, responses, examples), with a pattern matching their paths. */
  routes: { operation: Operation; pattern: RegExp }[];
  answers: DocumentedAnswers;
}

export interface Answered {
  method: string;
  path: string;
  status: number;
  /** What was wrong with the request (or the mock's own response), e.g. `request.body must ...`. */
  violations: string[];
  /** Set when the mock itself failed on this request (it answered 500 and keeps serving). */
  internalError?: string;
}

export interface MockOperation {
  method: string;
  path: string;
  /** The path with its parameters filled from the spec's examples, ready for curl. */
  examplePath: string;
}

function routesOf(operations: Operation[]): ServedSpec["routes"] {
  return operations.map((operation) => ({ operation, pattern: pathPattern(operation.path) }));
}

/** The spec as the mock serves it: linted and bundled by the registry, so mock, lint and generate agree. */
export async function loadServedSpec(api: Api): Promise<{ served: ServedSpec; operations: MockOperation[] }> {
  const document = await loadSpec(api);
  const operations = operationsOf(document);
  return {
    served: {
      operations: await prismOperations(api, document),
      routes: routesOf(operations),
      answers: documentedAnswers(document),
    },
    operations: operations.map((operation) => {
      return {
        method: operation.method.toUpperCase(),
        path: operation.path,
        examplePath: exampleCall(document, operation).path,
      };
    }),
  };
}

/** What the mock sends back for one request, and what it reports of it. */
interface Reply {
  status: number;
  headers: Record<string, unknown>;
  body: unknown;
  /** What was wrong with the request (or the answer), as the log and `onRequest` show it. */
  violations: string[];
}

const replyOf = (answer: Answer, violations: string[], headers: Record<string, unknown> = {}): Reply => ({
  status: answer.status,
  headers: { ...headers, "content-type": answer.contentType },
  body: answer.body,
  violations,
});

/** A request the mock refuses before Prism sees it (bad escape, 405, 413, bad body, unknown example): thrown with its reply. */
class Refused extends Error {
  readonly reply: Reply;
  constructor(reply: Reply) {
    super(reply.violations.join("; "));
    this.reply = reply;
  }
}

const refuse = (status: number, detail: string, headers: Record<string, unknown> = {}) =>
  new Refused(replyOf(problemAnswer(status, detail), [detail], headers));

/** CORS, as Prism's server does it: mocks are called from browsers too. */
function allowCrossOrigin(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader("access-control-allow-origin", request.headers.origin ?? "*");
  response.setHeader("access-control-allow-headers", request.headers["access-control-request-headers"] ?? "*");
  response.setHeader("access-control-allow-credentials", "true");
  response.setHeader("access-control-expose-headers", "*");
}

/** A browser's CORS preflight gets 204 with the method it asks for; undefined for any other request. */
function preflight(request: IncomingMessage, method: string): Reply | undefined {
  const asked = request.headers["access-control-request-method"];
  if (method !== "options" || !request.headers.origin || !asked) return undefined;
  return {
    status: 204,
    headers: { "access-control-allow-methods": asked, vary: "origin" },
    body: undefined,
    violations: [],
  };
}

/** Prism decodes path parameters and throws on a bad escape: that is the client's error (400), not ours. */
function checkPathEncoding(path: string): void {
  try {
    decodeURIComponent(path);
  } catch {
    throw refuse(400, `the path ${path} is not valid percent-encoding`);
  }
}

/**
 * The documented operation of the method on the path; a path the spec documents for other
 * methods only is refused with 405 and `Allow`. Undefined when no path matches (Prism answers 404).
 */
function operationOf(spec: ServedSpec, path: string, method: string): Operation | undefined {
  const onPath = spec.routes.filter((route) => route.pattern.test(path)).map((route) => route.operation);
  const operation = onPath.find((candidate) => candidate.method === method);
  if (onPath.length === 0 || operation) return operation;
  const allow = onPath.map((candidate) => candidate.method.toUpperCase()).join(", ");
  throw refuse(405, `${method.toUpperCase()} is not documented for ${path}; the spec documents ${allow}`, { allow });
}

/**
 * The body as Prism's own server would parse it (JSON for JSON media types, else text). Over
 * `maxBodyBytes` is a 413, bytes that are not UTF-8 or not the JSON they claim a 400: both in
 * the operation's documented error shape.
 */
async function readBody(request: IncomingMessage, spec: ServedSpec, operation: Operation | undefined) {
  const refuseWith = (status: number, detail: string) =>
    new Refused(replyOf(spec.answers.errorAnswer(operation, status, [detail]), [detail]));
  const bytes = await readBytes(request, maxBodyBytes).catch((error: unknown) => {
    throw error instanceof BodyTooLarge ? refuseWith(413, error.message) : error;
  });
  const { value, problem } = parseBody(bytes, flatHeaders(request.headers), maxBodyBytes);
  if (problem !== undefined) throw refuseWith(400, `request body ${problem}`);
  return value;
}

// Prism's own parser of `Prefer` (`code=409, example=x` to { code: "409", example: "x" }); it ships no types.
const parsePreferHeader = createRequire(import.meta.url)("parse-prefer-header") as (
  header: string | string[],
) => Record<string, string | undefined>;

type Preferences = { code?: number; exampleKey?: string; dynamic?: boolean; seed?: string };

/**
 * What the request asks Prism to answer with: `Prefer`, else Prism's `__code`-style query
 * parameters. Prism looks an example up under the 2xx response only, so an example's status is
 * found here; an example the operation does not document is refused with 404 naming those it does.
 */
function preferences(request: IncomingMessage, url: URL, spec: ServedSpec, operation: Operation | undefined) {
  const prefer = request.headers.prefer;
  const given: Record<string, string | undefined> = prefer
    ? parsePreferHeader(prefer)
    : {
        code: url.searchParams.get("__code") ?? undefined,
        example: url.searchParams.get("__example") ?? undefined,
        dynamic: url.searchParams.get("__dynamic") ?? undefined,
      };
  const preferences: Preferences = {
    ...(given.code !== undefined && { code: Number(given.code) }),
    ...(given.example !== undefined && { exampleKey: given.example }),
    ...(given.dynamic !== undefined && { dynamic: given.dynamic === "true" }),
    ...(given.seed !== undefined && { seed: given.seed }),
  };
  if (preferences.exampleKey === undefined || !operation) return preferences;
  const status = spec.answers.statusOfExample(operation, preferences.exampleKey);
  if (status === undefined) {
    const answer = spec.answers.unknownExample(operation, preferences.exampleKey);
    throw new Refused(replyOf(answer, [(answer.body as { detail: string }).detail]));
  }
  return { ...preferences, code: preferences.code ?? status };
}

/**
 * Prism's answer: it validates the request (security included) and picks the answer. A request
 * it rejects gets the documented error body telling the actual violations, unless `Prefer`
 * forced a documented example; every violation also goes in the `sl-violations` header.
 */
async function prismReply(
  request: IncomingMessage,
  body: unknown,
  prefer: Preferences,
  operation: Operation | undefined,
  { spec, prism, config }: Mock,
): Promise<Reply> {
  const input = prismRequest({
    method: request.method ?? "GET",
    target: request.url ?? "/",
    headers: request.headers,
    body,
  });
  const result = await prism.request(input, spec.operations, { ...config, mock: { ...config.mock, ...prefer } })();
  if (result._tag === "Left") {
    const error = result.left as Error & { status?: number; additional?: { headers?: Record<string, string> } };
    return {
      status: error.status ?? 500,
      headers: { "content-type": "application/problem+json", ...error.additional?.headers },
      body: ProblemJsonError.toProblemJson(error),
      violations: [error.message],
    };
  }
  const { output, validations } = result.right;
  const headers = { ...output.headers, "sl-violations": violationsHeader(validations) };
  const violations = describeValidations(validations);
  const forced = prefer.code !== undefined || prefer.exampleKey !== undefined;
  if (output.statusCode < 400 || validations.input.length === 0 || forced)
    return { status: output.statusCode, headers, body: output.body, violations };
  const reasons = reasonsFor(output.statusCode, validations.input);
  const template = { body: output.body, contentType: output.headers?.["content-type"] };
  return replyOf(spec.answers.errorAnswer(operation, output.statusCode, reasons, template), violations, headers);
}

/** Header values must be Latin-1 (Node throws otherwise): anything else goes as a JSON \u escape. */
const headerSafe = (value: string) =>
  value.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

function send(response: ServerResponse, { status, headers, body }: Reply): void {
  response.statusCode = status;
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      response.setHeader(name, typeof value === "string" ? headerSafe(value) : (value as number));
  }
  const contentType = String(response.getHeader("content-type") ?? "");
  const text =
    body === undefined || (typeof body === "string" && !/json/.test(contentType)) ? body : JSON.stringify(body);
  response.end(text as string | undefined);
}

/** The mock's own failure: a 500 saying so if nothing was sent yet, else the connection is cut. */
function sendInternalError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.destroy();
  for (const name of response.getHeaderNames()) response.removeHeader(name);
  const cause = error instanceof Error ? error.message : String(error);
  const detail = `The mock failed on this request (a defect of the mock, not of the request): ${cause}`;
  send(response, replyOf(problemAnswer(500, detail), [], { connection: "close" }));
}

/** One API's mock as `answer` uses it. */
export interface Mock {
  spec: ServedSpec;
  prism: PrismHttpInstance;
  config: IHttpConfig;
}

/** The steps a request goes through, in order; a refusal on the way is the reply. */
async function replyTo(request: IncomingMessage, url: URL, method: string, mock: Mock): Promise<Reply> {
  const cors = preflight(request, method);
  if (cors) return cors;
  checkPathEncoding(url.pathname);
  const operation = operationOf(mock.spec, url.pathname, method);
  const body = await readBody(request, mock.spec, operation);
  const prefer = preferences(request, url, mock.spec, operation);
  return prismReply(request, body, prefer, operation, mock);
}

/**
 * Answers one request: our checks first (405, 413, 400 for a body that is not UTF-8 or JSON),
 * then Prism validates and mocks, and a rejected request gets the documented error body with
 * the actual violations in its message. Never throws: a failure of the mock itself is a 500.
 */
export async function answer(request: IncomingMessage, response: ServerResponse, mock: Mock): Promise<Answered> {
  const url = new URL(request.url ?? "/", "http://mock");
  const method = (request.method ?? "GET").toLowerCase();
  const answered = { method: method.toUpperCase(), path: url.pathname };
  try {
    allowCrossOrigin(request, response);
    const reply = await replyTo(request, url, method, mock).catch((error: unknown) => {
      if (error instanceof Refused) return error.reply;
      throw error;
    });
    send(response, reply);
    return { ...answered, status: reply.status, violations: reply.violations };
  } catch (error) {
    sendInternalError(response, error);
    const internalError = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { ...answered, status: 500, violations: [], internalError };
  }
}
