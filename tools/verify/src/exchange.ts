import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { posix } from "node:path";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { type Api, jsonPointer, repoRelative } from "@contracts/spec";
import { createLogger, type IPrismDiagnostic } from "@stoplight/prism-core";
import {
  createInstance,
  getHttpOperationsFromSpec,
  type IHttpProxyConfig,
  type IHttpRequest,
  type IHttpResponse,
} from "@stoplight/prism-http";
import { DiagnosticSeverity, type HttpMethod, type IHttpOperation } from "@stoplight/types";
import * as E from "fp-ts/lib/Either.js";

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

/** One way a request or a response breaks the spec, as Prism's validators found it. */
export interface Violation {
  side: "request" | "response";
  /** JSON pointer into Prism's view of the message: `/body/...`, `/headers/...`, `/statusCode`. */
  pointer: string;
  /** What the spec requires, in Prism's words. */
  rule: string;
}

export interface Exchange {
  response: RawResponse;
  /** What the spec says is wrong with the request (missing credentials included). */
  requestViolations: Violation[];
  responseViolations: Violation[];
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
    const outgoing = sendRequest(url, { method: request.method, headers: endToEnd(request.headers) }, (incoming) => {
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

const decoders: Record<string, (body: Buffer) => Buffer> = {
  gzip: gunzipSync,
  "x-gzip": gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/** The body as Prism's validators expect it: JSON parsed when the content type says JSON, else text. */
function parsedBody(body: Buffer, headers: Record<string, string>): unknown {
  if (body.length === 0) return undefined;
  const encoding = headers["content-encoding"]?.trim().toLowerCase() ?? "";
  let text: string;
  try {
    text = (decoders[encoding]?.(body) ?? body).toString("utf8");
  } catch {
    return `(a body that does not decode as ${encoding})`; // Reported by the schema check like any other wrong body.
  }
  if (!/^application\/(.+\+)?json\b/i.test(headers["content-type"] ?? "")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text; // The schema check then reports a string where JSON was promised.
  }
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), [value].flat().join(", ")]],
    ),
  );
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

function prismRequest(raw: RawRequest): ForwardedRequest {
  const { pathname, searchParams } = new URL(raw.target, "http://placeholder");
  const query: Record<string, string[]> = {};
  for (const [name, value] of searchParams) {
    query[name] ??= [];
    query[name].push(value);
  }
  const headers = flatHeaders(raw.headers);
  return {
    method: raw.method.toLowerCase() as HttpMethod,
    url: { path: pathname, query },
    headers,
    body: parsedBody(raw.body, headers) ?? null,
    raw,
  };
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

/** Prism's diagnostics without a path still concern one part of the message; name it, so every violation has a pointer. */
const unplacedDiagnostics: [Violation["side"], RegExp, string][] = [
  ["request", /security/i, "/headers"],
  ["request", /route not found/i, "/url/path"],
  ["response", /status code/i, "/statusCode"],
  ["response", /media type/i, "/headers/content-type"],
];

function toViolation(side: Violation["side"], diagnostic: IPrismDiagnostic): Violation {
  const unplaced = unplacedDiagnostics.find(([where, pattern]) => where === side && pattern.test(diagnostic.message));
  const pointer = diagnostic.path?.length ? jsonPointer(...diagnostic.path) : (unplaced?.[2] ?? "");
  return { side, pointer, rule: diagnostic.message };
}

/** Errors and warnings (an undocumented error status is a warning to Prism) break the contract; hints do not. */
const breaksContract = (diagnostic: IPrismDiagnostic) => diagnostic.severity <= DiagnosticSeverity.Warning;

function proxyConfig(upstream: URL): IHttpProxyConfig {
  return {
    isProxy: true,
    upstream,
    // errors: false makes Prism forward a request even when it breaks the spec: the upstream decides.
    errors: false,
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    upstreamProxy: undefined,
    mock: { dynamic: false },
  };
}

export type ExchangeFn = (request: RawRequest) => Promise<Exchange>;

/** Loads the spec's operations the way Prism does; a spec Prism cannot use is named. */
export async function prismOperations(api: Api): Promise<IHttpOperation[]> {
  const operations = await getHttpOperationsFromSpec(api.specPath).catch((error: unknown) => {
    throw new Error(
      `Prism cannot load the spec of "${api.id}" (${repoRelative(api.specPath, api.root)}): ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  if (operations.length === 0)
    throw new Error(`The spec of "${api.id}" (${repoRelative(api.specPath, api.root)}) has no operations.`);
  return operations;
}

/**
 * A Prism proxy instance for one API: Prism routes the request, checks its security and
 * validates it and the upstream's answer against the spec. Only the forwarding step is ours,
 * because Prism's own re-parses and re-serialises the body and drops headers, and a proxy
 * must pass the traffic through unchanged.
 */
export function validatingExchange(api: Api, operations: IHttpOperation[], upstream: string): ExchangeFn {
  if (!URL.canParse(upstream))
    throw new UsageError(
      `Upstream of "${api.id}" is not a URL: "${upstream}" (expected e.g. https://api.example.com).`,
    );
  const upstreamUrl = new URL(upstream);
  const prism = createInstance(proxyConfig(upstreamUrl), {
    logger: createLogger(api.id, { level: "silent" }),
    forward:
      ({ data }) =>
      () =>
      () =>
        send(upstreamUrl, (data as ForwardedRequest).raw).then(
          (raw): E.Either<Error, ForwardedResponse> => {
            const headers = flatHeaders(rawHeadersObject(raw.rawHeaders));
            return E.right({ statusCode: raw.status, headers, body: parsedBody(raw.body, headers), raw });
          },
          (error: unknown) => E.left(new UpstreamError(api.id, upstream, error)),
        ),
  });
  return async (raw) => {
    const result = await prism.request(prismRequest(raw), operations)();
    if (E.isLeft(result))
      throw result.left instanceof UpstreamError ? result.left : new UpstreamError(api.id, upstream, result.left);
    const { output, validations } = result.right;
    return {
      response: (output as ForwardedResponse).raw,
      requestViolations: validations.input
        .filter(breaksContract)
        .map((diagnostic) => toViolation("request", diagnostic)),
      responseViolations: validations.output
        .filter(breaksContract)
        .map((diagnostic) => toViolation("response", diagnostic)),
    };
  };
}
