import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
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
import {
  type Api,
  type DocumentedAnswers,
  documentedAnswers,
  exampleCall,
  loadSpec,
  type Operation,
  operationsOf,
  pathPattern,
  problemAnswer,
} from "@contracts/spec";
import { type IHttpConfig, type PrismHttpInstance, ProblemJsonError } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";

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

class RequestProblem extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The body as Prism's own server would parse it (JSON for JSON media types, else text), or a RequestProblem. */
async function readBody(request: IncomingMessage): Promise<unknown> {
  const bytes = await readBytes(request, maxBodyBytes).catch((error: unknown) => {
    throw error instanceof BodyTooLarge ? new RequestProblem(413, error.message) : error;
  });
  const { value, problem } = parseBody(bytes, flatHeaders(request.headers), maxBodyBytes);
  if (problem !== undefined) throw new RequestProblem(400, `request body ${problem}`);
  return value;
}

/** Header values must be Latin-1 (Node throws otherwise): anything else goes as a JSON \u escape. */
const headerSafe = (value: string) =>
  value.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

function send(response: ServerResponse, status: number, headers: Record<string, unknown>, body: unknown): void {
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

const problem = (status: number, detail: string) => problemAnswer(status, detail).body;

// Prism's own parser of `Prefer` (`code=409, example=x` to { code: "409", example: "x" }); it ships no types.
const parsePreferHeader = createRequire(import.meta.url)("parse-prefer-header") as (
  header: string | string[],
) => Record<string, string | undefined>;

function preferences(
  request: IncomingMessage,
  query: URLSearchParams,
): { code?: number; exampleKey?: string; dynamic?: boolean; seed?: string } {
  const prefer = request.headers.prefer;
  const given: Record<string, string | undefined> = prefer
    ? parsePreferHeader(prefer)
    : {
        code: query.get("__code") ?? undefined,
        example: query.get("__example") ?? undefined,
        dynamic: query.get("__dynamic") ?? undefined,
      };
  return {
    ...(given.code !== undefined && { code: Number(given.code) }),
    ...(given.example !== undefined && { exampleKey: given.example }),
    ...(given.dynamic !== undefined && { dynamic: given.dynamic === "true" }),
    ...(given.seed !== undefined && { seed: given.seed }),
  };
}

/**
 * Answers one request: our checks first (405, 413, 400 for a body that is not UTF-8 or JSON),
 * then Prism validates and mocks, and a rejected request gets the documented error body with
 * the actual violations in its message. Never throws: a failure of the mock itself is a 500.
 */
export async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  spec: ServedSpec,
  prism: PrismHttpInstance,
  config: IHttpConfig,
): Promise<Answered> {
  const url = new URL(request.url ?? "/", "http://mock");
  const method = (request.method ?? "GET").toLowerCase();
  const answered = (status: number, violations: string[], internalError?: string): Answered => ({
    method: method.toUpperCase(),
    path: url.pathname,
    status,
    violations,
    ...(internalError !== undefined && { internalError }),
  });
  try {
    // CORS, as Prism's server does it: mocks are called from browsers too.
    response.setHeader("access-control-allow-origin", request.headers.origin ?? "*");
    response.setHeader("access-control-allow-headers", request.headers["access-control-request-headers"] ?? "*");
    response.setHeader("access-control-allow-credentials", "true");
    response.setHeader("access-control-expose-headers", "*");
    if (method === "options" && request.headers.origin && request.headers["access-control-request-method"]) {
      send(
        response,
        204,
        { "access-control-allow-methods": request.headers["access-control-request-method"], vary: "origin" },
        undefined,
      );
      return answered(204, []);
    }

    // Prism decodes path parameters and throws on a bad escape: that is the client's error, not ours.
    try {
      decodeURIComponent(url.pathname);
    } catch {
      const detail = `the path ${url.pathname} is not valid percent-encoding`;
      send(response, 400, { "content-type": "application/problem+json" }, problem(400, detail));
      return answered(400, [detail]);
    }
    const onPath = spec.routes.filter((route) => route.pattern.test(url.pathname));
    const operation = onPath.find((route) => route.operation.method === method)?.operation;
    if (onPath.length > 0 && !operation) {
      const allow = onPath.map((route) => route.operation.method.toUpperCase()).join(", ");
      const detail = `${method.toUpperCase()} is not documented for ${url.pathname}; the spec documents ${allow}`;
      send(response, 405, { allow, "content-type": "application/problem+json" }, problem(405, detail));
      return answered(405, [detail]);
    }

    let body: unknown;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof RequestProblem)) throw error;
      const answer = spec.answers.errorAnswer(operation, error.status, [error.message]);
      send(response, answer.status, { "content-type": answer.contentType }, answer.body);
      return answered(answer.status, [error.message]);
    }

    const prefer = preferences(request, url.searchParams);
    // Prism looks `example` up under the 2xx response only: find it under whichever status documents it.
    if (prefer.exampleKey !== undefined && operation) {
      const status = spec.answers.statusOfExample(operation, prefer.exampleKey);
      if (status === undefined) {
        const detail = `Prefer: example=${prefer.exampleKey} names no example of ${operation.id}; it documents ${spec.answers.exampleNames(operation).join(", ") || "none"}`;
        send(response, 404, { "content-type": "application/problem+json" }, problem(404, detail));
        return answered(404, [detail]);
      }
      prefer.code ??= status;
    }
    const input = prismRequest({ method, target: request.url ?? "/", headers: request.headers, body });
    const result = await prism.request(input, spec.operations, { ...config, mock: { ...config.mock, ...prefer } })();

    if (result._tag === "Left") {
      const error = result.left as Error & { status?: number; additional?: { headers?: Record<string, string> } };
      const status = error.status ?? 500;
      send(
        response,
        status,
        { "content-type": "application/problem+json", ...error.additional?.headers },
        ProblemJsonError.toProblemJson(error),
      );
      return answered(status, [error.message]);
    }
    const { output, validations } = result.right;
    const violations = describeValidations(validations);
    const headers: Record<string, unknown> = { ...output.headers, "sl-violations": violationsHeader(validations) };
    const forced = prefer.code !== undefined || prefer.exampleKey !== undefined;
    if (output.statusCode >= 400 && validations.input.length > 0 && !forced) {
      const template = { body: output.body, contentType: output.headers?.["content-type"] };
      const answer = spec.answers.errorAnswer(
        operation,
        output.statusCode,
        reasonsFor(output.statusCode, validations.input),
        template,
      );
      headers["content-type"] = answer.contentType;
      send(response, answer.status, headers, answer.body);
    } else {
      send(response, output.statusCode, headers, output.body);
    }
    return answered(output.statusCode, violations);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!response.headersSent) {
      for (const name of response.getHeaderNames()) response.removeHeader(name);
      send(
        response,
        500,
        { "content-type": "application/problem+json", connection: "close" },
        problem(
          500,
          `The mock failed on this request (a defect of the mock, not of the request): ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    } else {
      response.destroy();
    }
    return answered(500, [], message);
  }
}
