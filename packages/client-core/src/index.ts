import createFetchClient, { mergeHeaders, type Client, type HeadersOptions, type MaybeOptionalInit } from "openapi-fetch";
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

export interface ClientOptions {
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

export class MissingApiKeyError extends Error {
  constructor(api: ApiDescription) {
    super(
      `No API key for ${api.title}: pass { apiKey } to createClient() or set the ${api.apiKeyEnv} ` +
        "environment variable (or pass { apiKey: null } to send no credentials).",
    );
    this.name = "MissingApiKeyError";
  }
}

// Read through globalThis so the package also runs in browsers, where `process` is absent.
function environmentVariable(name: string): string | undefined {
  const { process } = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return process?.env?.[name];
}

function resolveApiKey(api: ApiDescription, apiKey: string | null | undefined): string | null {
  if (apiKey !== undefined) return apiKey;
  const fromEnvironment = environmentVariable(api.apiKeyEnv);
  if (fromEnvironment) return fromEnvironment;
  throw new MissingApiKeyError(api);
}

/** True when `url` is `baseUrl` itself or below it (so `https://api.x.com.evil` is not). */
function isUnder(url: string, baseUrl: string): boolean {
  const base = baseUrl.replace(/\/+$/, "");
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
 */
export function createApiClient<Paths extends {}>(api: ApiDescription, options: ClientOptions = {}): Client<Paths, MediaType> {
  const baseUrl = options.baseUrl ?? api.defaultBaseUrl;
  const apiKey = resolveApiKey(api, options.apiKey);
  const send = (request: Request) => (options.fetch ?? globalThis.fetch)(request);
  const { header, prefix } = api.auth;
  return createFetchClient<Paths>({
    baseUrl,
    headers: apiKey === null ? options.headers : mergeHeaders(options.headers, { [header]: `${prefix}${apiKey}` }),
    fetch: apiKey === null ? send : (request) => send(isUnder(request.url, baseUrl) ? request : withoutHeader(request, header)),
  });
}

/** The JSON request body of an operation. */
export type RequestBodyOf<Operation> = RequestBodyJSON<Operation>;
/** The JSON body of an operation's success responses. */
export type SuccessBodyOf<Operation extends Record<string | number, any>> = SuccessResponseJSON<Operation>;
/** The JSON body of an operation's documented error responses. */
export type ErrorBodyOf<Operation extends Record<string | number, any>> = ErrorResponseJSON<Operation>;

/**
 * What an operation method resolves to: openapi-fetch's `{ data, error, response }`, with the
 * bodies typed exactly as the spec's schemas. (openapi-fetch's own result type drops
 * properties whose type is `null`, such as Bland's `errors: null`.)
 */
export type OperationResult<Operation extends Record<string | number, any>> =
  | { data: SuccessBodyOf<Operation>; error?: never; response: Response }
  | { data?: never; error: ErrorBodyOf<Operation>; response: Response };

/** `{ params, body, headers, ... }` of one operation; optional only when nothing in it is required. */
type OperationArguments<Init> = RequiredKeysOf<Init> extends never ? [init?: Init] : [init: Init];

/** The typed method of one operation, e.g. `client.updateOrganization(init)`. */
export type OperationMethod<Paths extends Record<string, any>, Path extends keyof Paths, Method extends HttpMethod> = (
  ...init: OperationArguments<MaybeOptionalInit<Paths[Path], Method>>
) => Promise<OperationResult<Paths[Path][Method]>>;

/** Binds one operation of the client to its own method. */
export function operationMethod<Paths extends Record<string, any>, Method extends HttpMethod, Path extends PathsWithMethod<Paths, Method>>(
  client: Client<Paths, MediaType>,
  method: Method,
  path: Path,
): OperationMethod<Paths, Path, Method> {
  // openapi-fetch infers `request`'s types per call site; the method's own signature is above.
  const request = client.request as unknown as (method: Method, path: Path, ...init: unknown[]) => Promise<never>;
  return (...init) => request(method, path, ...init);
}

export type { Client, HeadersOptions } from "openapi-fetch";
