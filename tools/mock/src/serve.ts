import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import {
  type Answer,
  finalAnswer,
  methodNotAllowedAnswer,
  pageAnswer,
  pathEncodingProblem,
  preferencesOf,
  problemAnswer,
  rejectionStatusOf,
} from "@contracts/client-core/mock";
import {
  BodyTooLarge,
  describeValidations,
  flatHeaders,
  matchedByPath,
  type OperationsOnDemand,
  parameterDiagnostics,
  parseBody,
  prismOperationsOnDemand,
  prismRequest,
  readBytes,
  reasonsFor,
  UnreadableForm,
  violationsHeader,
} from "@contracts/prism";
import {
  type Api,
  essence,
  exampleCall,
  isJson,
  isXml,
  loadSpec,
  type Operation,
  operationsOf,
  type Pagination,
  paginationOf,
  pointerSegments,
  type Routed,
  requestBodyOf,
  resolvedOrNone,
  responseForStatus,
  responsesOf,
  routerOf,
  type SpecValidator,
  specValidator,
  undocumentedHeader,
} from "@contracts/spec";
import type { IPrismDiagnostic } from "@stoplight/prism-core";
import { type IHttpConfig, type IHttpRequest, type PrismHttpInstance, ProblemJsonError } from "@stoplight/prism-http";
import { DiagnosticSeverity, type IHttpOperation } from "@stoplight/types";
import type { OpenAPI3 } from "openapi-typescript";
import { parse } from "yaml";
import { type DocumentedAnswers, documentedAnswers } from "./answers.ts";
import { fromXml, renderBody } from "./media.ts";

/** Request bodies above this many bytes get 413: the specs' bodies are a few hundred bytes. */
export const maxBodyBytes = 1024 * 1024;

/** What one API's mock answers with; replaced as a whole on reload, so a request sees one version. */
export interface ServedSpec {
  document: OpenAPI3;
  /**
   * The spec's file as written, before bundling (see media.ts), and its folder, where the files its
   * examples name are. Read when a binary answer first needs it (parsing a large spec's YAML takes seconds).
   */
  written: () => OpenAPI3;
  specFolder: string;
  /** Prism's view of each operation, built when first asked for. */
  prism: OperationsOnDemand;
  /** Where a request goes (client-core's routing, the MSW handlers' too). */
  route: (method: string, path: string, query: URLSearchParams) => Routed<Operation>;
  answers: DocumentedAnswers;
  /** JSON request bodies against their schemas, for what Prism misses (see `bodyDiagnostics`). */
  validate: SpecValidator;
  /** How an operation's list answers page, if they do: the spec's word or its registry entry's (see `paginationOf`). */
  pagination: (operation: Operation) => Pagination | undefined;
}

export interface Answered {
  method: string;
  path: string;
  status: number;
  /**
   * The status is not one the operation documents (or no operation has this method and path):
   * Prism's own 401, 404, 406, 422, the mock's 405 and 413, an operation without `responses`.
   * The answer carries `x-contracts-undocumented: <status>`.
   */
  undocumented: boolean;
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

/** A value computed the first time it is asked for. */
function once<T>(compute: () => T): () => T {
  let value: { is: T } | undefined;
  return () => {
    value ??= { is: compute() };
    return value.is;
  };
}

/** The spec as the mock serves it: linted and bundled by the registry, so mock, lint and generate agree. */
export async function loadServedSpec(api: Api): Promise<{ served: ServedSpec; operations: MockOperation[] }> {
  const document = await loadSpec(api);
  const operations = operationsOf(document);
  const prism = await prismOperationsOnDemand(api, document);
  const writtenText = await readFile(api.specPath, "utf8");
  // What only some requests need is made when one first does: on a spec of hundreds of operations
  // each takes a second or so, which would delay every mock's start.
  const answers = once(() => documentedAnswers(document));
  const validate = once(() => specValidator(document, "request"));
  return {
    served: {
      document,
      written: once(() => parse(writtenText) as OpenAPI3),
      specFolder: path.dirname(api.specPath),
      prism,
      route: routerOf(operations),
      get answers() {
        return answers();
      },
      pagination: (operation) => paginationOf(document, operation, api),
      validate: (pointer, value) => validate()(pointer, value),
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

/** A path Prism's decoder would throw on (a bad escape) is the client's error: 400, in the documented shape where an operation is routed. */
function checkPathEncoding(path: string, operation: Operation | undefined, spec: ServedSpec): void {
  const problem = pathEncodingProblem(path);
  if (problem !== undefined) throw new Refused(replyOf(spec.answers.errorAnswer(operation, 400, [problem]), [problem]));
}

/** A path the spec documents for other methods only is refused with 405 and `Allow`. */
function checkMethod({ operation, allow }: Routed<Operation>, path: string, method: string): void {
  if (operation || allow.length === 0) return;
  const answer = methodNotAllowedAnswer(method, path, allow);
  throw new Refused(replyOf(answer, [(answer.body as { detail: string }).detail], answer.headers));
}

/** A body the mock cannot read: the documented error of `status`, its reason also in `sl-violations` (as Prism's), which a documented error without a body still tells. */
function bodyRefusal(spec: ServedSpec, operation: Operation | undefined, status: number, detail: string): Refused {
  const diagnostic = { path: ["body"], code: status, severity: DiagnosticSeverity.Error, message: detail };
  const headers = { "sl-violations": violationsHeader({ input: [diagnostic], output: [] }) };
  return new Refused(replyOf(spec.answers.errorAnswer(operation, status, [detail]), [detail], headers));
}

/**
 * The body as Prism's own server would parse it (JSON for JSON media types, else text), and XML
 * the operation documents read into the value its schema describes (Prism reads XML as text).
 * Over `maxBodyBytes` is a 413, bytes that are not UTF-8 or not the JSON or XML they claim a 400:
 * both in the operation's documented error shape.
 */
async function readBody(request: IncomingMessage, spec: ServedSpec, operation: Operation | undefined) {
  const refuseWith = (status: number, detail: string) => bodyRefusal(spec, operation, status, detail);
  const bytes = await readBytes(request, maxBodyBytes).catch((error: unknown) => {
    throw error instanceof BodyTooLarge ? refuseWith(413, error.message) : error;
  });
  const headers = flatHeaders(request.headers);
  const { value, problem } = parseBody(bytes, headers, maxBodyBytes);
  if (problem !== undefined) throw refuseWith(400, `request body ${problem}`);
  const mediaType = essence(headers["content-type"]);
  const documented = operation && isXml(mediaType) && requestBodyOf(spec.document, operation, mediaType);
  if (!documented || typeof value !== "string") return value;
  try {
    return fromXml(spec.document, value, documented.schema);
  } catch (error) {
    throw refuseWith(400, `request body is not valid XML: ${(error as Error).message}`);
  }
}

type Preferences = { code?: number; exampleKey?: string; dynamic?: boolean; seed?: string };

/**
 * What the request asks Prism to answer with: `Prefer`, else Prism's `__code`-style query
 * parameters. Prism looks an example up under the 2xx response only, so an example's status is
 * found here; an example the operation does not document is refused with 404 naming those it does.
 */
function preferences(request: IncomingMessage, url: URL, spec: ServedSpec, operation: Operation | undefined) {
  const given = preferencesOf(flatHeaders(request.headers).prefer, url.searchParams);
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
 * What Prism's validator misses in a JSON body it accepted: a JSON `null` (Prism takes it for no
 * body at all), JSON Schema 2020-12's keywords (`unevaluatedProperties`) and readOnly properties
 * sent, held to the documented schema as a request sees it (`directional`).
 */
function bodyDiagnostics(
  spec: ServedSpec,
  operation: Operation,
  request: IHttpRequest,
  arrived: unknown,
): IPrismDiagnostic[] {
  const mediaType = essence(request.headers?.["content-type"]);
  const documented = isJson(mediaType) ? requestBodyOf(spec.document, operation, mediaType) : undefined;
  if (!documented?.schema || arrived === undefined) return [];
  return spec.validate(documented.schemaPointer, arrived).map((violation) => {
    const [pointer = "", ...words] = violation.split(" ");
    const segments = pointerSegments(pointer === "/" ? "" : pointer);
    return {
      path: ["body", ...segments],
      code: "schema",
      severity: DiagnosticSeverity.Error,
      message: `Request body${segments.length > 0 ? ` property ${segments.join(".")}` : ""} ${words.join(" ")}`,
    };
  });
}

/**
 * The response media type object Prism answered with, in `document` (the bundle, or the file as
 * written), for rendering its body; `key` is the documented status (`200`, `2XX`, `default`). The
 * file as written may not hold it: a spec of several files keeps its operations in the others.
 */
function mediaOf(
  document: OpenAPI3,
  operation: Operation | undefined,
  key: string | undefined,
  mediaType: string | undefined,
) {
  if (operation === undefined || key === undefined || mediaType === undefined) return undefined;
  const pathItem = resolvedOrNone(document, document.paths?.[operation.path]);
  const operationObject = resolvedOrNone(document, pathItem?.[operation.method]);
  const response = resolvedOrNone(document, operationObject?.responses?.[key]);
  return resolvedOrNone(document, response?.content?.[mediaType]);
}

/** Prism's own error answer (its 401, 404, 406, 422, ...): in the documented shape where the operation documents its status. */
function prismErrorReply(error: ProblemJsonError, operation: Operation | undefined, spec: ServedSpec): Reply {
  const { status, additional } = error as ProblemJsonError & {
    additional?: { headers?: Record<string, string>; validation?: { message: string }[] };
  };
  const reasons = additional?.validation?.map((violation) => violation.message) ?? [error.message];
  const headers = {
    ...additional?.headers,
    ...(additional?.validation && { "sl-violations": JSON.stringify(additional.validation) }),
  };
  if (operation && spec.answers.documents(operation, status))
    return replyOf(spec.answers.errorAnswer(operation, status, reasons), reasons, headers);
  return {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
    body: ProblemJsonError.toProblemJson(error),
    violations: reasons,
  };
}

/** Prism's word for a required body it did not find. */
const isMissingBody = (diagnostic: IPrismDiagnostic) =>
  diagnostic.code === "required" && diagnostic.message === "Body parameter is required";

/** Prism's label and matrix readers throw on a path value without its prefix (`.`, `;name=`): the request's fault, a 400. */
const malformedStyle = /serialization style requires parameter to be prefixed/;

/**
 * The request as Prism reads it, for the operation our routing found (client-core's router);
 * a request it found none for goes to Prism's own router, which answers its 404 (or picks an
 * operation ours did not). A form body Prism cannot read is a 400 in the documented shape.
 */
async function prismInput(
  request: IncomingMessage,
  body: unknown,
  operation: Operation | undefined,
  spec: ServedSpec,
): Promise<{ input: IHttpRequest; routed: IHttpOperation }> {
  const prismOperation = operation && (await spec.prism.operation(operation.method, operation.path));
  const input = await prismRequest(
    { method: request.method ?? "GET", target: request.url ?? "/", headers: request.headers, body },
    prismOperation,
  ).catch((error: unknown) => {
    throw error instanceof UnreadableForm ? bodyRefusal(spec, operation, 400, error.message) : error;
  });
  if (prismOperation) return { input, routed: prismOperation };
  const prismRoute = spec.prism.route(input);
  if ("error" in prismRoute) throw new Refused(prismErrorReply(prismRoute.error as ProblemJsonError, operation, spec));
  return { input, routed: await spec.prism.operation(prismRoute.method, prismRoute.path) };
}

type PrismResult = Awaited<ReturnType<ReturnType<PrismHttpInstance["request"]>>>;

/**
 * Prism's answer to the request for the routed operation: it validates the request (security
 * included) and picks the answer. Its gaps, filled here: a path value its label and matrix readers
 * cannot read throws (the request's fault, a 400); a JSON body of 0, false, "" or null is taken for
 * none ("Body parameter is required"), so where nothing else is wrong Prism's answer is asked
 * again without its request check, and the body is held to its schema by `missedByPrism`. Prism
 * says so in its answer, or in the error it throws where the operation documents no 4xx (OpenAI's
 * conversation items). A rejection Prism throws is the reply.
 */
async function askPrism(
  { input, routed }: { input: IHttpRequest; routed: IHttpOperation },
  body: unknown,
  config: IHttpConfig,
  operation: Operation | undefined,
  { spec, prism }: Mock,
): Promise<Extract<PrismResult, { _tag: "Right" }>["right"]> {
  const ask = (asked: IHttpConfig) =>
    Promise.resolve()
      .then(() => prism.request(input, [matchedByPath(routed)], asked)())
      .catch((error: unknown) => {
        if (!(error instanceof Error && malformedStyle.test(error.message))) throw error;
        const reason = `Request path ${error.message}`;
        throw new Refused(replyOf(spec.answers.errorAnswer(operation, 400, [reason]), [reason]));
      });
  const rightOf = (result: PrismResult) => {
    if (result._tag === "Left") throw new Refused(prismErrorReply(result.left as ProblemJsonError, operation, spec));
    return result.right;
  };
  const result = await ask(config);
  const found =
    result._tag === "Right"
      ? result.right.validations.input
      : ((result.left as { additional?: { validation?: IPrismDiagnostic[] } }).additional?.validation ?? []);
  if (body === undefined || body || found.length === 0 || !found.every(isMissingBody)) return rightOf(result);
  const again = rightOf(await ask({ ...config, validateRequest: false }));
  return { ...again, validations: { ...again.validations, input: [] } };
}

/** What Prism does not check in a request it accepted: cookie and list parameters (parameters.ts), and the JSON body's gaps (`bodyDiagnostics`). */
const missedByPrism = (
  spec: ServedSpec,
  operation: Operation,
  input: IHttpRequest,
  routed: IHttpOperation,
  body: unknown,
): IPrismDiagnostic[] => [...parameterDiagnostics(input, routed), ...bodyDiagnostics(spec, operation, input, body)];

/**
 * Prism's answer: see `askPrism`. A request it rejects, or that breaks what Prism does not check
 * (`missedByPrism`), gets the documented error body telling the actual violations, unless `Prefer`
 * forced a documented example; every violation also goes in the `sl-violations` header. A success
 * whose response gives no example has the body both mocks make up; a body is sent in the media
 * type it is labelled with (media.ts).
 */
async function prismReply(
  request: IncomingMessage,
  body: unknown,
  prefer: Preferences,
  operation: Operation | undefined,
  mock: Mock,
): Promise<Reply> {
  const { spec, config } = mock;
  const routing = await prismInput(request, body, operation, spec);
  const mockConfig = { ...config, mock: { ...config.mock, ...prefer } };
  const { output, validations: prismValidations } = await askPrism(routing, body, mockConfig, operation, mock);
  const forced = prefer.code !== undefined || prefer.exampleKey !== undefined;
  const own =
    operation && output.statusCode < 400 && !forced
      ? missedByPrism(spec, operation, routing.input, routing.routed, body)
      : [];
  const validations = { ...prismValidations, input: [...prismValidations.input, ...own] };
  const headers = { ...output.headers, "sl-violations": violationsHeader(validations) };
  const violations = describeValidations(validations);
  // What Prism misses is refused as Prism refuses what it finds.
  const status = own.length > 0 ? rejectionStatusOf(Object.keys(operation!.object.responses ?? {})) : output.statusCode;
  if (status < 400 || validations.input.length === 0 || forced) {
    const contentType = output.headers?.["Content-type"];
    const key = operation && responseForStatus(responsesOf(spec.document, operation), status)?.status;
    const media = mediaOf(spec.document, operation, key, contentType);
    const written = () => {
      const document = spec.written();
      return { document, media: mediaOf(document, operation, key, contentType) };
    };
    const context = { ...spec, mediaType: contentType ?? "", media, written, exampleKey: prefer.exampleKey };
    // Asked for by status (`Prefer: code=500`) too: the MSW handlers then make the same body up.
    const made =
      operation && prefer.exampleKey === undefined
        ? spec.answers.fitting(operation, status, contentType, output.body, mockConfig.mock.dynamic === true)
        : output.body;
    return { status, headers, body: contentType ? await renderBody(made, context) : made, violations };
  }
  const reasons = reasonsFor(status, validations.input);
  const template = own.length > 0 ? undefined : { body: output.body, contentType: output.headers?.["content-type"] };
  return replyOf(spec.answers.errorAnswer(operation, status, reasons, template), violations, headers);
}

/** Header values must be Latin-1 (Node throws otherwise): anything else goes as a JSON \u escape. */
const headerSafe = (value: string) =>
  value.replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * How the body is framed on the wire is Node's to say, whatever response headers the spec documents:
 * a documented `Transfer-Encoding: chunked` (openai's /audio/speech) sent over a body Node framed
 * with a length left the client waiting for a chunk that never came, until the connection closed.
 */
const framing = new Set(["transfer-encoding", "content-length"]);

function send(response: ServerResponse, { status, headers, body }: Reply): void {
  response.statusCode = status;
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !framing.has(name.toLowerCase()))
      response.setHeader(name, typeof value === "string" ? headerSafe(value) : (value as number));
  }
  const contentType = String(response.getHeader("content-type") ?? "");
  const raw = body === undefined || Buffer.isBuffer(body) || (typeof body === "string" && !isJson(contentType));
  response.end((raw ? body : JSON.stringify(body)) as string | Buffer | undefined);
}

/** The mock's own failure: a 500 saying so if nothing was sent yet, else the connection is cut. */
function sendInternalError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.destroy();
  for (const name of response.getHeaderNames()) response.removeHeader(name);
  const cause = error instanceof Error ? error.message : String(error);
  const detail = `The mock failed on this request (a defect of the mock, not of the request): ${cause}`;
  send(response, replyOf(problemAnswer(500, detail), [], { connection: "close", [undocumentedHeader]: "500" }));
}

/** One API's mock as `answer` uses it. */
export interface Mock {
  spec: ServedSpec;
  prism: PrismHttpInstance;
  config: IHttpConfig;
}

/** The steps a request goes through, in order; a refusal on the way is the reply. */
async function replyTo(request: IncomingMessage, url: URL, operation: Operation | undefined, mock: Mock) {
  const body = await readBody(request, mock.spec, operation);
  const prefer = preferences(request, url, mock.spec, operation);
  const reply = await prismReply(request, body, prefer, operation, mock);
  const forced = prefer.code !== undefined || prefer.exampleKey !== undefined;
  return operation && !forced ? paged(reply, operation, request, mock.spec) : reply;
}

/**
 * A list's answer as one of the pages a client walks to the end (client-core's `pageAnswer`, which
 * the MSW handlers serve too), for an operation that pages (see the spec layer's `paginationOf`).
 */
function paged(reply: Reply, operation: Operation, request: IncomingMessage, spec: ServedSpec): Reply {
  // Prism names it `Content-type`, our own replies `content-type`.
  const contentType = Object.entries(reply.headers).find(([name]) => name.toLowerCase() === "content-type")?.[1];
  if (operation.method !== "get" || typeof contentType !== "string" || !isJson(contentType)) return reply;
  const pagination = spec.pagination(operation);
  if (!pagination) return reply;
  // The next links are absolute, as the client reached this mock.
  const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "localhost"}`);
  const page = pageAnswer(pagination, { status: reply.status, contentType, body: reply.body }, url);
  // The page's Link header says where the next page is, or by its absence that there is none: not Prism's made-up one.
  const headers = Object.entries(reply.headers).filter(
    ([name]) => pagination.style !== "link-header" || name.toLowerCase() !== "link",
  );
  return { ...reply, body: page.body, headers: { ...Object.fromEntries(headers), ...page.headers } };
}

/** The reply as HTTP can send it (see client-core's `finalAnswer`: Node would send a 1xx as an interim answer). */
function finalReply(reply: Reply): Reply {
  if (reply.status >= 200) return reply;
  const answer = finalAnswer({ status: reply.status, body: undefined });
  return replyOf(answer, [(answer.body as { detail: string }).detail]);
}

/**
 * The reply with `x-contracts-undocumented` when the operation does not document its status, or
 * no operation has this method and path: a gap in the spec, not a contract.
 */
function marked(reply: Reply, operation: Operation | undefined, spec: ServedSpec): Reply & { undocumented: boolean } {
  const undocumented = !operation || !spec.answers.documents(operation, reply.status);
  if (!undocumented) return { ...reply, undocumented };
  return { ...reply, headers: { ...reply.headers, [undocumentedHeader]: String(reply.status) }, undocumented };
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
    const cors = preflight(request, method);
    if (cors) {
      send(response, cors);
      return { ...answered, status: cors.status, undocumented: false, violations: [] };
    }
    const routed = mock.spec.route(method, url.pathname, url.searchParams);
    const reply = await Promise.resolve()
      .then(() => {
        checkPathEncoding(url.pathname, routed.operation, mock.spec);
        checkMethod(routed, url.pathname, method);
        return replyTo(request, url, routed.operation, mock);
      })
      .catch((error: unknown) => {
        if (error instanceof Refused) return error.reply;
        throw error;
      });
    const { status, violations, undocumented, ...sent } = marked(finalReply(reply), routed.operation, mock.spec);
    send(response, { status, violations, ...sent });
    return { ...answered, status, undocumented, violations };
  } catch (error) {
    sendInternalError(response, error);
    const internalError = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { ...answered, status: 500, undocumented: true, violations: [], internalError };
  }
}
