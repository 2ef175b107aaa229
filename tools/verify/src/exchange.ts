import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { posix } from "node:path";
import { bodyProblems, documentedExampleOf } from "@contracts/cases";
import {
  contractViolations,
  createPrism,
  flatHeaders,
  matchedByPath,
  parseBody,
  prismConfig,
  prismRequest,
  UnreadableForm,
  type Violation,
} from "@contracts/prism";
import { type Api, isJson, operationsOf, type Routable, routerOf, specValidator } from "@contracts/spec";
import type { IHttpRequest, IHttpResponse, PrismHttpComponents } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import * as E from "fp-ts/lib/Either.js";
import type { OpenAPI3 } from "openapi-typescript";

/** A request exactly as it goes to the upstream: the bytes are never re-serialised. */
export interface RawRequest {
  method: string;
  /** Path and query string, relative to the upstream URL, e.g. `/properties?x=1`. */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The upstream's answer as received: status, headers in their order and case, body bytes. */
export interface RawResponse {
  status: number;
  /** Alternating names and values, as `IncomingMessage.rawHeaders`. */
  rawHeaders: string[];
  body: Buffer;
}

export interface Exchange {
  response: RawResponse;
  /** What the spec says is wrong with the request (missing credentials included). */
  requestViolations: Violation[];
  responseViolations: Violation[];
  /**
   * What is wrong with the spec itself, as the answer shows it: a body that breaks its schema only
   * where the response's own documented example does (a mock serves its examples).
   */
  specDefects: Violation[];
}

/** The tool cannot run as asked (no key for --write, a bad URL, an unknown parameter): nothing was sent. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The upstream could not be reached or did not answer HTTP. */
export class UpstreamError extends Error {
  constructor(api: string, upstream: string, cause: unknown) {
    super(
      `Upstream of "${api}" at ${upstream} did not answer: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = "UpstreamError";
  }
}

/** Headers that describe one connection, not the message (RFC 9110 section 7.6.1): a proxy drops them. */
const hopByHopHeaders = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name]) => name.toLowerCase() !== "host" && !hopByHopHeaders.has(name.toLowerCase()),
    ),
  );
}

export function endToEndRawHeaders(rawHeaders: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (!hopByHopHeaders.has(rawHeaders[index]!.toLowerCase())) kept.push(rawHeaders[index]!, rawHeaders[index + 1]!);
  }
  return kept;
}

/** How long an upstream may stay silent before the exchange fails: a hung API must not hang verify. */
const upstreamTimeoutMs = 30_000;

/** Sends the request's own bytes with node:http, which (unlike fetch) leaves the answer's encoding and bytes alone. */
function send(upstream: URL, request: RawRequest): Promise<RawResponse> {
  const { pathname, search } = new URL(request.target, "http://placeholder");
  const url = new URL(upstream);
  url.pathname = posix.join(url.pathname, pathname);
  url.search = search;
  const sendRequest = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // Framed by its length: node:http frames no body of a DELETE (nor GET, HEAD, OPTIONS) by itself,
    // so a DELETE's JSON went out unframed, and a server read it as the next request (a bare 400).
    const length = request.body.length > 0 ? { "content-length": String(request.body.length) } : {};
    const headers = { ...endToEnd(request.headers), ...length };
    const outgoing = sendRequest(url, { method: request.method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () =>
        resolve({ status: incoming.statusCode ?? 0, rawHeaders: incoming.rawHeaders, body: Buffer.concat(chunks) }),
      );
    });
    outgoing.on("error", reject);
    outgoing.setTimeout(upstreamTimeoutMs, () =>
      outgoing.destroy(new Error(`no answer within ${upstreamTimeoutMs / 1000} s`)),
    );
    outgoing.end(request.body);
  });
}

function rawHeadersObject(rawHeaders: string[]): IncomingHttpHeaders {
  const headers: Record<string, string[]> = {};
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!.toLowerCase();
    headers[name] ??= [];
    headers[name].push(rawHeaders[index + 1]!);
  }
  return headers;
}

/** Prism's request and response with the raw message alongside, so the forward step and the caller see the bytes. */
interface ForwardedRequest extends IHttpRequest {
  raw: RawRequest;
}
interface ForwardedResponse extends IHttpResponse {
  raw: RawResponse;
}

/** The provider answered 2xx to a request the spec says must be rejected: one violation per reason Prism gave. */
export function acceptedButRejected(status: number, requestViolations: Violation[]): Violation[] {
  if (status < 200 || status >= 300) return [];
  return requestViolations.map(({ pointer, rule }) => ({
    side: "request",
    pointer,
    rule: `accepted (${status}) although the spec rejects it: ${rule}`,
  }));
}

export type ExchangeFn = (request: RawRequest) => Promise<Exchange>;

/** Where a request goes, as the mocks route it (`routerOf`). */
function requestRouter<T extends Routable>(operations: T[]): (request: RawRequest) => T | undefined {
  const route = routerOf(operations);
  return (request) => {
    const { pathname, searchParams } = new URL(request.target, "http://placeholder");
    return route(request.method, pathname, searchParams).operation;
  };
}

/**
 * A Prism proxy instance for one API: Prism routes the request, checks its security and
 * validates it and the upstream's answer against the spec. Only the forwarding step is ours,
 * because Prism's own re-parses and re-serialises the body and drops headers, and a proxy
 * must pass the traffic through unchanged.
 */
export function validatingExchange(
  api: Api,
  document: OpenAPI3,
  operations: IHttpOperation[],
  upstream: string,
): ExchangeFn {
  if (!URL.canParse(upstream))
    throw new UsageError(
      `Upstream of "${api.id}" is not a URL: "${upstream}" (expected e.g. https://api.example.com).`,
    );
  const upstreamUrl = new URL(upstream);
  const validate = specValidator(document, "response");
  const specOperationOf = requestRouter(operationsOf(document));
  const prismOperationOf = requestRouter(operations);
  const forward: PrismHttpComponents["forward"] =
    ({ data }) =>
    () =>
    () =>
      send(upstreamUrl, (data as ForwardedRequest).raw).then(
        (raw): E.Either<Error, ForwardedResponse> => {
          const headers = flatHeaders(rawHeadersObject(raw.rawHeaders));
          return E.right({ statusCode: raw.status, headers, body: parseBody(raw.body, headers).value, raw });
        },
        (error: unknown) => E.left(new UpstreamError(api.id, upstream, error)),
      );
  const prism = createPrism(api.id, prismConfig({ upstream: upstreamUrl }), forward);
  return async (raw) => {
    const body = parseBody(raw.body, flatHeaders(raw.headers)).value;
    // A form that does not parse reaches Prism as it came, and Prism refuses it by its media type.
    const arrived = { ...raw, body };
    const routed = prismOperationOf(raw);
    const read = await prismRequest(arrived, routed).catch((error: unknown) => {
      if (error instanceof UnreadableForm) return prismRequest(arrived);
      throw error;
    });
    const request: ForwardedRequest = { ...read, raw };
    // Prism's router reads the path alone; where ours found the operation, Prism is given that one.
    const result = await prism.request(request, routed ? [matchedByPath(routed)] : operations)();
    if (E.isLeft(result))
      throw result.left instanceof UpstreamError ? result.left : new UpstreamError(api.id, upstream, result.left);
    const { output, validations } = result.right;
    const violations = contractViolations(validations);
    const forwarded = output as ForwardedResponse;
    return {
      response: forwarded.raw,
      requestViolations: violations.request,
      ...judgeJsonBody(violations.response, raw, forwarded),
    };
  };

  /**
   * The response's violations with a JSON body judged by our validator rather than Prism's, which
   * misses JSON Schema 2020-12's keywords and `writeOnly` properties inside `oneOf` branches; a
   * body that breaks its schema only where the response's own documented example does is the
   * spec's defect.
   */
  function judgeJsonBody(
    prismViolations: Violation[],
    request: RawRequest,
    response: ForwardedResponse,
  ): Pick<Exchange, "responseViolations" | "specDefects"> {
    const headers = new Headers(Object.entries(response.headers ?? {}) as [string, string][]);
    const operation = specOperationOf(request);
    if (!operation || !isJson(headers.get("content-type")))
      return { responseViolations: prismViolations, specDefects: [] };
    const answer = { status: response.statusCode, headers, body: response.body };
    const problems = bodyProblems(document, operation, answer, validate);
    const example = problems.length > 0 ? documentedExampleOf(document, operation, answer, validate) : undefined;
    const body = problems.map(
      (rule): Violation => ({
        side: "response",
        pointer: "/body",
        rule:
          example === undefined
            ? rule
            : `the spec's own example "${example}" of this answer breaks its schema: ${rule}`,
      }),
    );
    const others = prismViolations.filter((violation) => !violation.pointer.startsWith("/body"));
    return example === undefined
      ? { responseViolations: [...others, ...body], specDefects: [] }
      : { responseViolations: others, specDefects: body };
  }
}
