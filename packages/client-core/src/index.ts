import createFetchClient, {
  type Client,
  type HeadersOptions,
  type MaybeOptionalInit,
  mergeHeaders,
} from "openapi-fetch";
import type {
  ErrorResponseJSON,
  HttpMethod,
  MediaType,
  PathsWithMethod,
  RequestBodyJSON,
  RequiredKeysOf,
  SuccessResponseJSON,
} from "openapi-typescript-helpers";

/** How an API's spec says the key travels: a header, and what comes before the key in it. */
export interface AuthScheme {
  header: string;
  /** `"Bearer "` for HTTP bearer schemes, `""` for a raw API key. */
  prefix: string;
}

/** What a generated client knows about its API, all of it taken from the spec. */
export interface ApiDescription {
  /** The API's title, for messages. */
  title: string;
  /** The spec's first server. */
  defaultBaseUrl: string;
  /** The environment variable read when no `apiKey` option is given. */
  apiKeyEnv: string;
  auth: AuthScheme;
}

/** Limits of one call: the generated methods take them per client and per call. */
export interface CallLimits {
  /**
   * Milliseconds the whole call may take, retries and their waits included (default 60 000).
   * On expiry the call rejects with a `TimeoutError`.
   */
  timeout?: number;
  /**
   * Retries after a network failure or a 408, 409, 429 or 5xx answer (default 2; 0 sends once).
   * Only operations that are safe to repeat are retried by default: see `operationMethod`.
   */
  maxRetries?: number;
}

export interface ClientOptions extends CallLimits {
  /**
   * The API key. Defaults to the API's environment variable (e.g. `BLAND_API_KEY`).
   * `null` sends no credentials at all (for mocks and for testing 401 handling).
   */
  apiKey?: string | null;
  /** Where requests go; defaults to the spec's first server. The key is only sent there. */
  baseUrl?: string;
  /** A fetch implementation (defaults to `globalThis.fetch`). */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: HeadersOptions;
}

export const defaultTimeout = 60_000;
export const defaultMaxRetries = 2;

export class MissingApiKeyError extends Error {
  constructor(api: ApiDescription) {
    super(
      `No API key for ${api.title}: pass { apiKey } to createClient() or set the ${api.apiKeyEnv} ` +
        "environment variable (or pass { apiKey: null } to send no credentials).",
    );
    this.name = "MissingApiKeyError";
  }
}

/** A key no HTTP header can carry. The message says where the fault is, never the key itself. */
export class InvalidApiKeyError extends Error {
  constructor(api: ApiDescription, position: number, length: number) {
    super(
      `The API key for ${api.title} (from the apiKey option or ${api.apiKeyEnv}) has a control or non-Latin-1 ` +
        `character at position ${position + 1} of ${length}, which no HTTP header can carry: ` +
        "look for a stray newline or space copied with the key.",
    );
    this.name = "InvalidApiKeyError";
  }
}

/** The call took longer than its `timeout`; the request was aborted. */
export class TimeoutError extends Error {
  constructor(timeout: number) {
    super(`The request timed out after ${timeout} ms (retries included); raise the timeout option to wait longer.`);
    this.name = "TimeoutError";
  }
}

// Read through globalThis so the package also runs in browsers, where `process` is absent.
function environmentVariable(name: string): string | undefined {
  const { process } = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return process?.env?.[name];
}

/** Header values are Latin-1 without control characters (RFC 9110 field-value; Headers.set throws otherwise). */
const notHeaderSafe = /[^\x20-\x7e\x80-\xff]/;

function resolveApiKey(api: ApiDescription, apiKey: string | null | undefined): string | null {
  const key = apiKey !== undefined ? apiKey : environmentVariable(api.apiKeyEnv) || undefined;
  if (key === undefined) throw new MissingApiKeyError(api);
  const unsafe = key === null ? null : notHeaderSafe.exec(key);
  if (unsafe) throw new InvalidApiKeyError(api, unsafe.index, key!.length);
  return key;
}

/** setTimeout's largest delay; a longer one would fire at once. */
const longestTimeout = 2 ** 31 - 1;

function checkLimits(timeout: number, maxRetries: number): void {
  if (!(typeof timeout === "number" && timeout > 0 && timeout <= longestTimeout)) {
    throw new RangeError(
      `timeout must be a number of milliseconds between 1 and ${longestTimeout}, got ${String(timeout)}`,
    );
  }
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new RangeError(`maxRetries must be a whole number from 0, got ${String(maxRetries)}`);
  }
}

/** True when `url` is `base` (without trailing slashes) or below it (so `https://api.x.com.evil` is not). */
function isUnder(url: string, base: string): boolean {
  return url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);
}

/** The request without one header: what leaves for a host that is not the API's. */
function withoutHeader(request: Request, header: string): Request {
  const copy = new Request(request);
  copy.headers.delete(header);
  return copy;
}

/**
 * An openapi-fetch client for the API, with its authentication applied. The key is a static
 * header (the cheapest path through openapi-fetch: a middleware costs more per call) and the
 * fetch step takes it off any request for another host, such as a per-request `baseUrl`.
 * Throws at once on a missing or unsendable key and on out-of-range limits.
 */
export function createApiClient<Paths extends {}>(
  api: ApiDescription,
  options: ClientOptions = {},
): Client<Paths, MediaType> {
  const baseUrl = options.baseUrl ?? api.defaultBaseUrl;
  const apiKey = resolveApiKey(api, options.apiKey);
  checkLimits(options.timeout ?? defaultTimeout, options.maxRetries ?? defaultMaxRetries);
  const send = (request: Request) => (options.fetch ?? globalThis.fetch)(request);
  const { header, prefix } = api.auth;
  const base = baseUrl.replace(/\/+$/, "");
  return createFetchClient<Paths>({
    baseUrl,
    headers: apiKey === null ? options.headers : mergeHeaders(options.headers, { [header]: `${prefix}${apiKey}` }),
    fetch:
      apiKey === null ? send : (request) => send(isUnder(request.url, base) ? request : withoutHeader(request, header)),
  });
}

/** Answers worth another try: the server timed out, conflicted, throttled or failed. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before retry number `retry` (0-based): what the server asks for
 * (`retry-after-ms`, then `Retry-After` in seconds or as an HTTP date), else exponential
 * backoff from 0.5 s up to 8 s with up to 25% jitter, as the Stainless SDKs do.
 */
export function retryDelay(headers: Headers | undefined, retry: number, now = Date.now()): number {
  const milliseconds = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (milliseconds >= 0) return milliseconds;
  const retryAfter = headers?.get("retry-after")?.trim();
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return Math.min(500 * 2 ** retry, 8000) * (1 - Math.random() * 0.25);
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

const abortOnTimeout = (controller: AbortController, timeout: number) => controller.abort(new TimeoutError(timeout));

/** The JSON request body of an operation. */
export type RequestBodyOf<Operation> = RequestBodyJSON<Operation>;
/** The JSON body of an operation's success responses. */
// biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's interfaces (no index signature) only satisfy an `any` record, as in openapi-typescript-helpers
export type SuccessBodyOf<Operation extends Record<string | number, any>> = SuccessResponseJSON<Operation>;
/** The JSON body of an operation's documented error responses. */
// biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's interfaces (no index signature) only satisfy an `any` record, as in openapi-typescript-helpers
export type ErrorBodyOf<Operation extends Record<string | number, any>> = ErrorResponseJSON<Operation>;

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
/** Every status code whose first digit is one of `First`, as number literals (`StatusIn<2>` is 200 | ... | 299). */
type StatusIn<First extends number> = `${First}${Digit}${Digit}` extends infer Code
  ? Code extends `${infer Status extends number}`
    ? Status
    : never
  : never;
/** openapi-fetch gives `data` for a 2xx and `error` for anything else. */
type SuccessStatus = StatusIn<2>;
type ErrorStatus = StatusIn<3 | 4 | 5>;
type ResponsesOf<Operation> = Operation extends { responses: infer Responses } ? Responses : never;
type JsonBodyOf<Response> = Response extends { content: infer Content }
  ? { [Media in keyof Content]: Media extends `${string}/json` ? Content[Media] : never }[keyof Content]
  : never;
/** The error statuses the spec documents for the operation, e.g. `400 | 401 | 404`. */
export type DocumentedErrorStatus<Operation> = Extract<keyof ResponsesOf<Operation>, ErrorStatus>;

/** One documented error status with its own body. */
type DocumentedError<Operation, Status> = Status extends keyof ResponsesOf<Operation>
  ? { data?: never; error: JsonBodyOf<ResponsesOf<Operation>[Status]>; status: Status; response: Response }
  : never;

/**
 * What an operation method resolves to: openapi-fetch's `{ data, error, response }` plus
 * `status` (a copy of `response.status`), which narrows the result: TypeScript narrows an object
 * by its own properties, not by `result.response.status`. Each documented error status has its
 * own body type; any other status (a proxy's HTML 502, an undocumented 404) has `error: unknown`:
 * the parsed JSON, or the text when the body is not JSON. (openapi-fetch's own result type also
 * drops properties whose type is `null`, such as Bland's `errors: null`; this one keeps them.)
 */
// biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's interfaces (no index signature) only satisfy an `any` record, as in openapi-typescript-helpers
export type OperationResult<Operation extends Record<string | number, any>> =
  | { data: SuccessBodyOf<Operation>; error?: never; status: SuccessStatus; response: Response }
  | DocumentedError<Operation, DocumentedErrorStatus<Operation>>
  | {
      data?: never;
      error: unknown;
      status: Exclude<ErrorStatus, DocumentedErrorStatus<Operation>>;
      response: Response;
    };

/** `{ params, body, headers, signal, timeout, maxRetries, ... }` of one call; optional only when nothing in it is required. */
type OperationArguments<Init> =
  RequiredKeysOf<Init> extends never ? [init?: Init & CallLimits] : [init: Init & CallLimits];

/** The typed method of one operation, e.g. `client.updateOrganization(init)`. */
// biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's interfaces (no index signature) only satisfy an `any` record, as in openapi-typescript-helpers
export type OperationMethod<Paths extends Record<string, any>, Path extends keyof Paths, Method extends HttpMethod> = (
  ...init: OperationArguments<MaybeOptionalInit<Paths[Path], Method>>
) => Promise<OperationResult<Paths[Path][Method]>>;

type Attempt = (init: object) => Promise<{ data?: unknown; error?: unknown; status?: number; response: Response }>;

/**
 * Binds one operation of the client to its own method, with a time budget and retries.
 * `idempotent` (decided by the generator from the method: see its model) says whether repeating
 * the request is safe: only then does the client's `maxRetries` apply by default (a call may
 * still pass its own `maxRetries`). Each attempt goes through openapi-fetch afresh, so every
 * attempt builds its own Request: a body is never one an earlier attempt consumed.
 */
export function operationMethod<
  // biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's interfaces (no index signature) only satisfy an `any` record, as in openapi-typescript-helpers
  Paths extends Record<string, any>,
  Method extends HttpMethod,
  Path extends PathsWithMethod<Paths, Method>,
>(
  client: Client<Paths, MediaType>,
  options: ClientOptions | undefined,
  method: Method,
  path: Path,
  idempotent: boolean,
): OperationMethod<Paths, Path, Method> {
  // openapi-fetch infers `request`'s types per call site; the method's own signature is above.
  const request = client.request as unknown as (method: Method, path: Path, init: object) => ReturnType<Attempt>;
  const attempt: Attempt = (init) => request(method, path, init);
  const clientTimeout = options?.timeout ?? defaultTimeout;
  const clientRetries = idempotent ? (options?.maxRetries ?? defaultMaxRetries) : 0;
  return ((init: (CallLimits & { signal?: AbortSignal | null }) | undefined) => {
    const { timeout = clientTimeout, maxRetries = clientRetries, signal, ...fetchInit } = init ?? {};
    return withLimits(attempt, fetchInit, timeout, maxRetries, signal ?? undefined);
  }) as unknown as OperationMethod<Paths, Path, Method>;
}

/** Runs attempts until one is final, under one abort signal: the caller's, or the time budget's end. */
async function withLimits(
  attempt: Attempt,
  fetchInit: { signal?: AbortSignal },
  timeout: number,
  maxRetries: number,
  callerSignal: AbortSignal | undefined,
) {
  checkLimits(timeout, maxRetries);
  const deadline = Date.now() + timeout;
  const controller = new AbortController();
  const timer = setTimeout(abortOnTimeout, timeout, controller, timeout);
  const onCallerAbort = () => controller.abort(callerSignal!.reason);
  if (callerSignal?.aborted) onCallerAbort();
  callerSignal?.addEventListener("abort", onCallerAbort);
  fetchInit.signal = controller.signal; // fetchInit is this call's own copy of the caller's init
  try {
    for (let retry = 0; ; retry += 1) {
      let result: Awaited<ReturnType<Attempt>> | undefined;
      let failure: unknown;
      try {
        result = await attempt(fetchInit);
      } catch (error) {
        // An abort (timeout or the caller's signal) is final and rejects with its own reason.
        if (controller.signal.aborted) throw controller.signal.reason;
        failure = error;
      }
      const final = retry >= maxRetries || (result !== undefined && !isRetryable(result.response.status));
      const wait = final ? 0 : retryDelay(result?.response.headers, retry);
      if (final || Date.now() + wait >= deadline) {
        if (result === undefined) throw failure;
        result.status = result.response.status;
        return result;
      }
      await sleep(wait, controller.signal);
    }
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}

export type { Client, HeadersOptions } from "openapi-fetch";
