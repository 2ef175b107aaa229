import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import {
  type Api,
  type DocumentedAnswers,
  documentedAnswers,
  exampleCall,
  isJsonMediaType,
  loadSpec,
  type Operation,
  operationsOf,
  pathPattern,
  problemAnswer,
  SpecError,
} from "@contracts/spec";
import type { IPrismDiagnostic } from "@stoplight/prism-core";
import {
  getHttpOperationsFromSpec,
  type IHttpConfig,
  type IHttpRequest,
  type PrismHttpInstance,
  ProblemJsonError,
} from "@stoplight/prism-http";
import { DiagnosticSeverity, type IHttpOperation } from "@stoplight/types";

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
  // Prism dereferences the document in place: it gets its own copy.
  const prismOperations = await getHttpOperationsFromSpec(structuredClone(document)).catch((error: unknown) => {
    throw new SpecError(api, [`Prism cannot load the spec: ${error instanceof Error ? error.message : String(error)}`]);
  });
  const operations = operationsOf(document);
  if (operations.length === 0 || prismOperations.length === 0) throw new SpecError(api, ["the spec has no operations"]);
  return {
    served: { operations: prismOperations, routes: routesOf(operations), answers: documentedAnswers(document) },
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

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The body as Prism's own server would parse it (JSON for JSON media types, else text), or a RequestProblem. */
async function readBody(request: IncomingMessage): Promise<unknown> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBodyBytes)
    throw new RequestProblem(
      413,
      `request body of ${declared} bytes is over the mock's limit of ${maxBodyBytes} bytes`,
    );
  if (declared === 0 && request.headers["transfer-encoding"] === undefined) return null;
  // Events rather than `for await`: leaving that loop early would destroy the socket before the 413 is sent.
  const bytes = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) return chunks.push(chunk);
      request.removeAllListeners("data").resume(); // the rest is read and dropped while the 413 goes out
      reject(new RequestProblem(413, `request body is over the mock's limit of ${maxBodyBytes} bytes`));
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new RequestProblem(400, "request body is not valid UTF-8");
  }
  const mediaType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (!isJsonMediaType(mediaType) || text === "") return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RequestProblem(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Header values must be Latin-1 (Node throws otherwise): anything else goes as a JSON \u escape. */
const headerSafe = (value: string) =>
  value.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

function describe(diagnostic: IPrismDiagnostic, prefix: string): string {
  return `${[prefix, ...(diagnostic.path ?? [])].join(".")} ${diagnostic.message}`;
}

// The `sl-violations` header as Prism's own server writes it.
function violationObject(diagnostic: IPrismDiagnostic, prefix: string) {
  const { path = [], severity, code, message } = diagnostic;
  return { location: [prefix, ...path], severity: DiagnosticSeverity[severity], code, message };
}
function violationHeader(violations: object[]): string {
  const value = JSON.stringify(violations);
  return value.length > 8000 ? `Too many violations! ${value.slice(0, 8000)}` : value;
}

/**
 * The violations that explain `status`, as `message (rule)`: Prism codes a failed security check
 * with the status it causes (401), so a 401 names only that, and a 400 only the schema rules.
 */
function reasonsFor(status: number, diagnostics: IPrismDiagnostic[]): string[] {
  const isStatus = (code: IPrismDiagnostic["code"]) => /^\d{3}$/.test(String(code));
  const causing = diagnostics.filter(({ code }) => String(code) === String(status));
  const relevant = causing.length > 0 ? causing : diagnostics.filter(({ code }) => !isStatus(code));
  return relevant.map(({ message, code }) =>
    isStatus(code) || code === undefined ? message : `${message} (${String(code)})`,
  );
}

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
    const input: IHttpRequest = {
      method: method as IHttpRequest["method"],
      url: {
        path: url.pathname,
        query: Object.fromEntries([...url.searchParams.keys()].map((key) => [key, url.searchParams.getAll(key)])),
      },
      headers: request.headers as Record<string, string>,
      body,
    };
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
    const inputViolations = validations.input.map((diagnostic) => describe(diagnostic, "request"));
    const violations = [
      ...inputViolations,
      ...validations.output.map((diagnostic) => describe(diagnostic, "response")),
    ];
    const headers: Record<string, unknown> = { ...output.headers };
    const diagnostics = [
      ...validations.input.map((diagnostic) => violationObject(diagnostic, "request")),
      ...validations.output.map((diagnostic) => violationObject(diagnostic, "response")),
    ];
    if (diagnostics.length > 0) headers["sl-violations"] = violationHeader(diagnostics);
    const forced = prefer.code !== undefined || prefer.exampleKey !== undefined;
    if (output.statusCode >= 400 && inputViolations.length > 0 && !forced) {
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
