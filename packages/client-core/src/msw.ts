/**
 * In-process mocks of an API for Mock Service Worker (msw/node in tests, msw/browser with its
 * service worker): one handler per operation, answering as the Prism mocks do from the same spec
 * (the documented examples, the `Prefer` choice, requests checked and rejected with the documented
 * error telling the violations). A generated client package's `./msw` entry is built on this.
 */

import { type HttpHandler, HttpResponse, http } from "msw";
import { essence, isJson } from "./media.ts";
import {
  type Answer,
  eventStreamText,
  finalAnswer,
  methodNotAllowedAnswer,
  pageAnswer,
  pathEncodingProblem,
  preferencesOf,
} from "./mock.ts";
import { type Choice, chosenAnswer, documentedError, rejectionAnswer } from "./msw/answers.ts";
import type { MockDescription, MockOperation } from "./msw/description.ts";
import { bodyViolations, credentialViolations, parameterViolations } from "./msw/requests.ts";
import { type Routed, routerOf } from "./routes.ts";

export type * from "./msw/description.ts";

/** An operation's documented answers, as its package types them: each exact status's body, and its examples' names. */
export interface OperationAnswers {
  statuses: object;
  examples: string;
}

/**
 * What a test makes one operation answer (every request is still checked first): a documented
 * status (its first example, or a body of that status's type), or a named example (under its status).
 */
export type MockAnswer<Answers extends OperationAnswers> =
  | { example: Answers["examples"]; status?: never; body?: never }
  | {
      [Status in keyof Answers["statuses"]]: { status: Status; body?: Answers["statuses"][Status]; example?: never };
    }[keyof Answers["statuses"]];

/** The JSON body of one documented response of an openapi-typescript operation (undefined when it has none). */
export type ResponseBodyOf<Operation, Status> = Operation extends { responses: infer Responses }
  ? Status extends keyof Responses
    ? Responses[Status] extends { content: infer Content }
      ? Content[keyof Content]
      : undefined
    : never
  : never;

export interface MockHandlerOptions {
  /** Where the client sends requests; defaults to the spec's first server (any origin where the spec names none). */
  baseUrl?: string;
}

/** The mocks of one API: what a generated package's `./msw` entry exports. */
export interface ApiMocks<Answers extends { [Name in keyof Answers]: OperationAnswers }> {
  /** One handler per operation (then one answering 405 to a method a documented path does not have), for the spec's first server. */
  handlers: HttpHandler[];
  /** The same handlers for another base URL. */
  createHandlers: (options?: MockHandlerOptions) => HttpHandler[];
  /** A handler that makes one operation answer as a test asks; `server.use(override(...))` puts it first. */
  override: <Name extends keyof Answers & string>(
    name: Name,
    answer: MockAnswer<Answers[Name]>,
    options?: MockHandlerOptions,
  ) => HttpHandler;
}

function responseOf(answer: Answer, headers: Record<string, string> = {}): Response {
  const { status, contentType, body, headers: own, eventFields } = finalAnswer(answer);
  const text =
    body === undefined
      ? null
      : body instanceof Uint8Array
        ? (body as Uint8Array<ArrayBuffer>)
        : essence(contentType) === "text/event-stream"
          ? eventStreamText(body, eventFields)
          : isJson(contentType) || typeof body !== "string"
            ? JSON.stringify(body)
            : body;
  return new HttpResponse(text, {
    status,
    headers: { ...(contentType !== undefined && { "content-type": contentType }), ...own, ...headers },
  });
}

/** What the request's `Prefer` (or `__code`/`__example`) asks for. */
function preferred(request: Request, url: URL): Choice {
  const { code, example } = preferencesOf(request.headers.get("prefer"), url.searchParams);
  return { ...(code !== undefined && { status: Number(code) }), ...(example !== undefined && { example }) };
}

/** A URL-encoded form's fields as an object, as Prism reads them: a field given more than once is a list. */
function formFields(fields: URLSearchParams): Record<string, string | string[]> {
  const read = new Map<string, string[]>();
  fields.forEach((value, name) => {
    read.set(name, [...(read.get(name) ?? []), value]);
  });
  return Object.fromEntries([...read].map(([name, values]) => [name, values.length === 1 ? values[0]! : values]));
}

/**
 * The body as the checks read it: JSON parsed, a URL-encoded form's fields as an object; a body that
 * is not the JSON it claims is refused at once with the operation's documented 400.
 */
async function readBody(request: Request): Promise<{ value: unknown; form?: true } | { problem: string }> {
  const text = await request.text();
  if (text === "") return { value: undefined };
  const mediaType = essence(request.headers.get("content-type"));
  if (mediaType === "application/x-www-form-urlencoded")
    return { value: formFields(new URLSearchParams(text)), form: true };
  if (!isJson(mediaType)) return { value: text };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `request body is not valid JSON: ${(error as Error).message}` };
  }
}

/** How the mock answers one request to one operation: checked as Prism checks it, then answered as chosen. */
async function answer(
  api: MockDescription,
  name: string,
  operation: MockOperation,
  request: Request,
  pathValues: Record<string, string>,
  cookies: Record<string, string>,
  forced: Choice | undefined,
): Promise<Answer> {
  const url = new URL(request.url);
  const problem = pathEncodingProblem(url.pathname);
  if (problem !== undefined) return documentedError(api, operation, 400, [problem]);
  const decoded = Object.fromEntries(
    Object.entries(pathValues).map(([name, value]) => [name, decodeURIComponent(value)]),
  );
  const body = await readBody(request);
  if ("problem" in body) return documentedError(api, operation, 400, [body.problem]);
  const choice = forced ?? preferred(request, url);
  const violations = {
    credentials: credentialViolations(api, operation, request, cookies),
    request: [
      ...parameterViolations(api, operation, request, url, decoded),
      ...bodyViolations(api, operation, body.value, body.form ? "form" : "body"),
    ],
  };
  if (violations.credentials.length > 0 || violations.request.length > 0)
    return rejectionAnswer(api, operation, violations, choice);
  const chosen = chosenAnswer(name, operation, choice, request.headers.get("accept"));
  // A list is served as pages a client walks to the end, unless a test or `Prefer` picked the answer.
  const paged = operation.pagination && Object.keys(choice).length === 0;
  return paged ? pageAnswer(operation.pagination!, chosen, url) : chosen;
}

/** Where a request goes (see routes.ts); undefined for a URL outside the base URL. */
type Router = (request: Request) => Routed<MockOperation> | undefined;

/** The API's routing under the base URL. Every handler asks for every request, so the answer is kept per method and URL. */
function routerFor(api: MockDescription, options: MockHandlerOptions): Router {
  const base = (options.baseUrl ?? api.defaultBaseUrl)?.replace(/\/+$/, "");
  const route = routerOf(Object.values(api.operations));
  const known = new Map<string, ReturnType<Router>>();
  return (request) => {
    const key = `${request.method} ${request.url}`;
    if (!known.has(key)) {
      if (known.size >= 1000) known.clear();
      const url = new URL(request.url);
      const where = `${url.origin}${url.pathname}`;
      const path = base === undefined ? url.pathname : where.startsWith(base) ? where.slice(base.length) : undefined;
      known.set(key, path === undefined ? undefined : route(request.method, path, url.searchParams));
    }
    return known.get(key);
  };
}

function operationHandler(
  api: MockDescription,
  name: string,
  operation: MockOperation,
  router: Router,
  forced?: Choice,
): HttpHandler {
  return http.all(
    ({ request }) => router(request)?.operation === operation,
    async ({ request, cookies }) =>
      responseOf(await answer(api, name, operation, request, router(request)!.values, cookies, forced)),
  );
}

/** 405 with `Allow` to a method the spec does not document on a documented path, as the Prism mocks answer. */
function methodNotAllowedHandler(router: Router): HttpHandler {
  return http.all(
    ({ request }) => {
      const routed = router(request);
      return routed !== undefined && routed.operation === undefined && routed.allow.length > 0;
    },
    ({ request }) =>
      responseOf(methodNotAllowedAnswer(request.method, new URL(request.url).pathname, router(request)!.allow)),
  );
}

/** The MSW mocks of an API from its generated description. */
export function mockApi<Answers extends { [Name in keyof Answers]: OperationAnswers }>(
  api: MockDescription,
): ApiMocks<Answers> {
  const createHandlers = (options: MockHandlerOptions = {}) => {
    const router = routerFor(api, options);
    return [
      ...Object.entries(api.operations).map(([name, operation]) => operationHandler(api, name, operation, router)),
      methodNotAllowedHandler(router),
    ];
  };
  return {
    handlers: createHandlers(),
    createHandlers,
    override: (name, choice, options = {}) =>
      operationHandler(api, name, api.operations[name]!, routerFor(api, options), choice as Choice),
  };
}
