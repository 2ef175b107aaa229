import createFetchClient, { type Client, type HeadersOptions } from "openapi-fetch";
import type { HttpMethod, MediaType } from "openapi-typescript-helpers";
import {
  type CallCredentials,
  type Credential,
  type CredentialProvider,
  credentialsFor,
  isUnder,
  resolveApiKey,
  resolveCredentials,
  type SecuritySchemeDescription,
  withCredentials,
} from "./credentials.ts";
import { defaultMaxRetries, defaultTimeout } from "./defaults.ts";
import {
  ApiConnectionError,
  ApiTimeoutError,
  ApiUserAbortError,
  MissingBaseUrlError,
  ResponseValidationError,
  type ResponseViolation,
  StreamEventError,
} from "./errors.ts";
import { isRetryable, retryDelay, sleep } from "./retries.ts";
import { type ParameterStyle, withDetails } from "./wire.ts";

/** Limits of one call: per client, and per call on every method. */
export interface CallLimits {
  /**
   * Milliseconds the whole call may take, retries and their waits included (default 60 000).
   * On expiry the call rejects with an `ApiTimeoutError`.
   */
  timeout?: number;
  /**
   * Retries after a network failure or a 408, 409, 429 or 5xx answer (default 2; 0 sends once).
   * By default only operations whose repeat is safe are retried (the generated client's README
   * says which, from the spec); a call that passes `maxRetries` is retried whatever its method.
   */
  maxRetries?: number;
  /**
   * Check each answer's body against the spec's schema for its status; a body that breaks it
   * rejects with a `ResponseValidationError` naming the pointer. Off by default: the validators
   * are loaded only once a call asks for them.
   */
  validateResponses?: boolean;
}

/** The options of every client, whatever its API's security. */
export interface ConnectionOptions extends CallLimits {
  /** Where requests go; defaults to the spec's first server. Credentials are only ever sent there. */
  baseUrl?: string;
  /** A fetch implementation (defaults to `globalThis.fetch`); a call may pass its own. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: HeadersOptions;
}

/** The options of a client whose API has one key or bearer scheme. */
export interface ClientOptions extends ConnectionOptions {
  /**
   * The API key, or a provider of keys that refreshes its key after a 401. Defaults to the API's
   * environment variable (e.g. `BLAND_API_KEY`). `null` sends no credentials at all (for mocks and
   * for testing 401 handling).
   */
  apiKey?: string | CredentialProvider | null;
}

/** What `createApiClient` takes: each generated client types its own subset of it from its spec. */
export interface AnyClientOptions extends ClientOptions {
  /** Each security scheme's credential, by the scheme's name in the spec; `null` sends none. */
  credentials?: Record<string, Credential | undefined> | null;
}

/** An API's security, as its generated client describes it. */
export interface SecurityDescription {
  /** Every security scheme operations use, by its name in the spec. */
  schemes: Record<string, SecuritySchemeDescription>;
  /** What an operation needs unless its details say otherwise: any one entry, each the schemes needed together (`[]`: none). */
  required: string[][];
  /**
   * An API with one key or bearer scheme takes its key as `options.apiKey` (for the scheme named
   * `apiKey` here) and needs it at `createClient`; others take `options.credentials`, checked per call.
   */
  apiKeyOption?: true;
}

/** A client package's `validators` module: its precompiled response schemas, loaded only when a call validates. */
export interface ResponseValidators {
  /**
   * How the body of an answer to `METHOD path` with `status` breaks the schema the spec gives that
   * status (the exact code's, else its range's, else `default`'s); empty when it fits or there is none.
   */
  violationsOf(method: string, path: string, status: number, body: unknown): ResponseViolation[];
}

/** What an operation needs beyond its method and path; every field is absent where the default holds. */
export interface OperationDetails {
  // How its calls go on the wire, from the spec's media types and parameters (JSON and OpenAPI's
  // default styles when absent).
  /**
   * The spec's path key, where the path sent differs from it (a `#fragment` dropped, openapi-fetch's
   * `{.name}`/`{;name}` markers of label and matrix path parameters): a raw call
   * (`client.GET(key)`) and the response validators know the operation by it.
   */
  specPath?: string;
  /** How a success body is read: `"text"` for `text/*`, `"blob"` for any other type that is not JSON. */
  parseAs?: "text" | "blob";
  /**
   * Where a success answer may be `text/event-stream` (alone, or beside another media type the call
   * picks by its request): the events of such an answer come as the result's `stream`, each event's
   * data parsed as JSON (`"json"`, where the spec's schema for it is JSON) or kept as text (`"text"`).
   */
  stream?: "json" | "text";
  /** The Accept header, where a response offers more than one media type: the ones the client types (JSON where offered). */
  accept?: string;
  /**
   * The request body's media type, where it is not `application/json`: another JSON type, a form
   * (`application/x-www-form-urlencoded`, `multipart/form-data`: serialized from an object), or any
   * other, whose body is sent as the call gives it (a Blob, a string).
   */
  requestType?: string;
  /**
   * The form body's fields the spec gives a style (its `encoding`'s `style`, `explode` or
   * `allowReserved`): their style, by name, written as query parameters of that style are.
   */
  fieldStyles?: Record<string, ParameterStyle>;
  /** The form body's fields the spec gives a media type of their own (its `encoding`'s `contentType`), by name. */
  fieldTypes?: Record<string, string>;
  /** The query parameters not written as `form`, exploded: their style, by name. */
  query?: Record<string, ParameterStyle>;
  /** The cookie parameters not written as `form`, exploded: their style, by name. */
  cookie?: Record<string, ParameterStyle>;
  /** The operation's own security requirements, where they differ from the API's (see `SecurityDescription.required`). */
  security?: string[][];
}

/** What a generated client knows about its API, all of it taken from the spec. */
export interface ApiDescription {
  /** The API's title, for messages. */
  title: string;
  /** The spec's first server, its variables set to their defaults; undefined when it documents none (then `baseUrl` is required). */
  defaultBaseUrl: string | undefined;
  /** Absent for an API without security. */
  security?: SecurityDescription;
  /**
   * Each operation's method, the path its calls are sent to, whether it is retried by default (its
   * repeat is safe) and how it differs from the defaults, by method name.
   */
  operations: Record<string, readonly [method: HttpMethod, path: string, retried: boolean, details?: OperationDetails]>;
  /** Loads the package's response validators: only when a call asks for validation, so apps load them only then. */
  validators: () => Promise<ResponseValidators>;
}

/** setTimeout's largest delay; a longer one would fire at once. */
const longestTimeout = 2 ** 31 - 1;

function checkLimits(timeout: number, maxRetries: number): void {
  if (!(typeof timeout === "number" && timeout > 0 && timeout <= longestTimeout)) {
    throw new RangeError(`timeout: 1 to ${longestTimeout} ms, not ${String(timeout)}`);
  }
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new RangeError(`maxRetries: a whole number from 0, not ${String(maxRetries)}`);
  }
}

/** What every call may carry besides openapi-fetch's own options. */
type CallInit = CallLimits & {
  signal?: AbortSignal | null;
  fetch?: (request: Request) => Promise<Response>;
  [option: string]: unknown;
};
type FetchResult = { data?: unknown; error?: unknown; status?: number; response: Response; stream?: unknown };

/** The credentials the client holds, by scheme name: an `apiKey` client's key (needed at once), or each scheme's from `credentials` and the environment. */
function heldCredentials(api: ApiDescription, options: AnyClientOptions): Map<string, Credential> {
  const { security } = api;
  if (security === undefined) return new Map();
  if (security.apiKeyOption) {
    const key = resolveApiKey(api.title, security.schemes.apiKey!.env as string, options.apiKey);
    return new Map<string, Credential>(key === null ? [] : [["apiKey", key]]);
  }
  return resolveCredentials(security.schemes, options.credentials ?? undefined);
}

const abortOnTimeout = (controller: AbortController, timeout: number) => controller.abort(new ApiTimeoutError(timeout));

/**
 * The client of one API: openapi-fetch's client whose every call, the typed methods
 * (`client.<operationId>()`) and the raw ones (`client.GET()`, `client.request()`) alike, takes
 * one path: the time budget and the caller's signal, the retries, and the key, which is set on
 * a request only when its final URL is under the configured `baseUrl`, after every middleware
 * and whatever `baseUrl` or `fetch` the call passes. Throws at once on a missing or unsendable
 * key, a missing baseUrl and out-of-range limits.
 */
// biome-ignore lint/suspicious/noExplicitAny: the generated client names its own type, checked by its type tests
export function createApiClient<ApiClient extends Client<any, MediaType>>(
  api: ApiDescription,
  options: AnyClientOptions = {},
): ApiClient {
  const { security } = api;
  const held = heldCredentials(api, options);
  const sendsNone = security === undefined || options.apiKey === null || options.credentials === null;
  const baseUrl = options.baseUrl ?? api.defaultBaseUrl;
  if (baseUrl === undefined) throw new MissingBaseUrlError(api.title);
  const base = baseUrl.replace(/\/+$/, "");
  const clientTimeout = options.timeout ?? defaultTimeout;
  const clientRetries = options.maxRetries ?? defaultMaxRetries;
  checkLimits(clientTimeout, clientRetries);
  // Read at call time, so a fetch installed after createClient (a test's stub, MSW) is used.
  const clientFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  // Each operation by `METHOD <spec path>`, as raw calls name it.
  const operations = new Map(
    Object.values(api.operations).map(([method, path, retried, details]) => [
      `${method.toUpperCase()} ${details?.specPath ?? path}`,
      { path, retried, details, security: details?.security ?? security?.required ?? [] },
    ]),
  );
  // biome-ignore lint/suspicious/noExplicitAny: the typed surface is ApiClient; this is the untyped engine under it
  const inner = createFetchClient<any>({ baseUrl, headers: options.headers });
  const request = inner.request as unknown as (method: string, path: string, init: object) => Promise<FetchResult>;

  /**
   * Sends one request until an answer is final, within the call's deadline and signal. A 401 to
   * credentials that can be renewed (a provider's) is answered once: the request goes again with
   * the renewed ones, which cannot be renewed again.
   */
  async function send(
    outgoing: Request,
    credentials: CallCredentials,
    transport: (request: Request) => Promise<Response>,
    maxRetries: number,
    deadline: number,
    signal: AbortSignal,
  ): Promise<Response> {
    let sent = outgoing;
    const scoped = isUnder(outgoing.url, base);
    // A copy without credentials, its body (readable once) kept: made only where a 401 may be sent again.
    const again = scoped && credentials.renew && outgoing.clone();
    if (scoped) sent = await withCredentials(sent, credentials.sent);
    for (let retry = 0; ; retry += 1) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        // Each attempt sends its own copy, so a retry never finds the body consumed.
        response = await transport(retry < maxRetries ? sent.clone() : sent);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        failure = error;
      }
      const final = retry >= maxRetries || (response !== undefined && !isRetryable(response.status));
      const wait = final ? 0 : retryDelay(response?.headers, retry);
      if (final || Date.now() + wait >= deadline) {
        if (response === undefined) throw new ApiConnectionError(outgoing.url, failure);
        if (response.status !== 401 || !again) return response;
        await response.body?.cancel(); // the 401 is not kept: its connection is freed before the refresh
        return send(again, await credentials.renew!(signal), transport, maxRetries, deadline, signal);
      }
      await response?.body?.cancel(); // an answer that is not kept frees its connection
      await sleep(wait, signal);
    }
  }

  async function call(method: string, path: string, init: CallInit = {}) {
    const operation = operations.get(`${method} ${path}`);
    const {
      timeout = clientTimeout,
      // A path the spec does not have (only reachable by defeating the types) is not retried.
      maxRetries = operation?.retried ? clientRetries : 0,
      validateResponses = options.validateResponses,
      signal: callerSignal,
      fetch: transport = clientFetch,
      ...fetchInit
    } = init;
    checkLimits(timeout, maxRetries);
    const deadline = Date.now() + timeout;
    const controller = new AbortController();
    const timer = setTimeout(abortOnTimeout, timeout, controller, timeout);
    const onCallerAbort = () => controller.abort(new ApiUserAbortError(callerSignal!.reason));
    if (callerSignal?.aborted) onCallerAbort();
    callerSignal?.addEventListener("abort", onCallerAbort);
    // A streamed answer outlives the call: the caller's signal keeps aborting it until the stream ends.
    const stopListening = () => callerSignal?.removeEventListener("abort", onCallerAbort);
    const stream = operation?.details?.stream;
    let streaming = false;
    try {
      const credentials = sendsNone
        ? { sent: [] }
        : await credentialsFor(
            api.title,
            `${method} ${path}`,
            operation?.security ?? security.required,
            security.schemes,
            held,
          );
      const result = await request(method, operation?.path ?? path, {
        ...(await withDetails(operation?.details, options.headers, fetchInit)),
        ...(stream && { parseAs: "stream" }),
        signal: controller.signal,
        fetch: (outgoing: Request) => send(outgoing, credentials, transport, maxRetries, deadline, controller.signal),
      });
      result.status = result.response.status;
      // An answer without a body (a 304, a redirect not followed) has none: openapi-fetch reads its empty text as an error of "".
      if (result.error === "") result.error = undefined;
      if (stream && result.response.ok)
        // An answer that may be an event stream is read by the stream's code, loaded only here.
        streaming = await (await import("./sse.ts")).readAnswer(
          result,
          operation!.details!,
          `${method} ${path}`,
          controller.signal,
          StreamEventError,
          stopListening,
        );
      // An event stream is checked by no validator: its body is read as the caller iterates.
      if (validateResponses && !streaming) await checkResponse(method, path, result);
      return result;
    } catch (error) {
      // An abort (the timeout or the caller's signal) is final, whatever failed on the way.
      throw controller.signal.aborted ? controller.signal.reason : error;
    } finally {
      clearTimeout(timer);
      if (!streaming) stopListening();
    }
  }

  async function checkResponse(method: string, path: string, { response, data, error }: FetchResult): Promise<void> {
    const { violationsOf } = await api.validators();
    const violations = violationsOf(method, path, response.status, response.ok ? data : error);
    if (violations.length > 0) throw new ResponseValidationError(`${method} ${path}`, response, violations);
  }

  const client: Record<string, unknown> = {
    use: inner.use,
    eject: inner.eject,
    request: (method: string, path: string, init?: CallInit) => call(method.toUpperCase(), path, init),
  };
  // openapi-fetch's raw methods (GET, PUT, ...), whichever it has, on the same path as the typed ones.
  for (const method of Object.keys(inner))
    if (/^[A-Z]+$/.test(method)) client[method] = (path: string, init?: CallInit) => call(method, path, init);
  for (const [name, [method, path, , details]] of Object.entries(api.operations)) {
    const upper = method.toUpperCase();
    const specPath = details?.specPath ?? path;
    client[name] = (init?: CallInit) => call(upper, specPath, init);
  }
  return client as ApiClient;
}
