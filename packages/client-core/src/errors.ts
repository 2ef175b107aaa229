/**
 * The base of every error the client throws, so one `instanceof ApiClientError` catches them all.
 * HTTP error answers are not thrown: they come back as `{ error, status }`.
 */
export class ApiClientError extends Error {
  override name = "ApiClientError";
}

/** `createClient` found no key in its options or the API's environment variable. */
export class MissingApiKeyError extends ApiClientError {
  override name = "MissingApiKeyError";
  constructor(title: string, apiKeyEnv: string) {
    super(`No API key for ${title}: pass { apiKey } or set ${apiKeyEnv}.`);
  }
}

/** A key or token no HTTP header can carry. The message says where the fault is, never the key itself. */
export class InvalidApiKeyError extends ApiClientError {
  override name = "InvalidApiKeyError";
  /** `source`: where the value came from, e.g. `apiKey or BLAND_API_KEY`. */
  constructor(title: string, source: string, position: number, length: number) {
    super(
      `The credential for ${title} (${source}) has a character no header carries, at position ${position + 1} of ${length}.`,
    );
  }
}

/**
 * A call needs credentials the client was not given: none of its operation's security
 * requirements is met by `options.credentials` or the schemes' environment variables.
 */
export class MissingCredentialsError extends ApiClientError {
  override name = "MissingCredentialsError";
  constructor(
    title: string,
    operation: string,
    requirements: readonly (readonly string[])[],
    schemes: Record<string, { env: string | readonly string[] }>,
  ) {
    const alternatives = requirements.map((names) => names.join(" and ")).join(", or ");
    const envs = [...new Set(requirements.flat())].flatMap((name) => schemes[name]?.env ?? []);
    super(
      `${operation} of ${title} needs credentials for ${alternatives}: pass them as { credentials } or set ${envs.join(", ")}.`,
    );
  }
}

/**
 * A credential provider's `refresh()` threw (or rejected) after the API answered 401: the call
 * rejects with this, naming the scheme; `cause` is what it threw.
 */
export class CredentialRefreshError extends ApiClientError {
  override name = "CredentialRefreshError";
  /** The security scheme whose credential failed to refresh, by its name in the spec (`apiKey` for the `apiKey` option). */
  readonly scheme: string;
  constructor(title: string, scheme: string, cause: unknown) {
    super(
      `Refreshing the ${scheme} credential of ${title} after a 401 failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.scheme = scheme;
  }
}

/** The spec names no server, so there is no default to send requests to. */
export class MissingBaseUrlError extends ApiClientError {
  override name = "MissingBaseUrlError";
  constructor(title: string) {
    super(`${title} names no server: pass { baseUrl }.`);
  }
}

/** No answer came: the connection failed (refused, reset, DNS, TLS) on the last attempt. `cause` is the fetch error. */
export class ApiConnectionError extends ApiClientError {
  override name = "ApiConnectionError";
  constructor(url: string, cause: unknown) {
    super(`No answer from ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The call took longer than its `timeout` (the whole call, retries and their waits included); it was aborted. */
export class ApiTimeoutError extends ApiClientError {
  override name = "ApiTimeoutError";
  readonly timeout: number;
  constructor(timeout: number) {
    super(`No answer within ${timeout} ms, retries included.`);
    this.timeout = timeout;
  }
}

/** The caller's `signal` aborted the call. `cause` is the signal's reason. */
export class ApiUserAbortError extends ApiClientError {
  override name = "ApiUserAbortError";
  constructor(cause: unknown) {
    super("Aborted by the caller.", { cause });
  }
}

/** One way a response body breaks its status's schema (with `validateResponses`). */
export interface ResponseViolation {
  /** JSON pointer into the response body, e.g. `/properties/0/name`. */
  pointer: string;
  message: string;
}

/** With `validateResponses`, an answer whose body does not match the spec's schema for its status. */
export class ResponseValidationError extends ApiClientError {
  override name = "ResponseValidationError";
  readonly status: number;
  readonly violations: ResponseViolation[];
  readonly response: Response;
  constructor(operation: string, response: Response, violations: ResponseViolation[]) {
    super(
      `${response.status} of ${operation} breaks the spec: ` +
        violations.map(({ pointer, message }) => `${pointer || "/"} ${message}`).join("; "),
    );
    this.status = response.status;
    this.violations = violations;
    this.response = response;
  }
}

/** A webhook or callback payload that breaks its schema (`parseWebhook` of a generated client). */
export class WebhookValidationError extends ApiClientError {
  override name = "WebhookValidationError";
  readonly violations: ResponseViolation[];
  constructor(webhook: string, violations: ResponseViolation[]) {
    super(
      `The ${webhook} payload breaks the spec: ${violations.map(({ pointer, message }) => `${pointer || "/"} ${message}`).join("; ")}`,
    );
    this.violations = violations;
  }
}

/**
 * An event of a `text/event-stream` answer that breaks what the spec says of it (data that is not
 * the JSON its schema describes), thrown from the call's `stream` where the event is read. The
 * stream's code (sse.ts, loaded only for a call that streams) writes its message, naming the
 * operation and the event, and sets `event` and `cause` (why the data could not be read).
 */
export class StreamEventError extends ApiClientError {
  override name = "StreamEventError";
  /** The event as it came: its `data` text, and its `event` name, `id` and `retry` where it had them. */
  declare readonly event: { data: string; event?: string; id?: string; retry?: number };
}

/**
 * A walk of `client.paginate.<method>()` could not go on: the API gave a cursor or next link it
 * had already given (followed, it would page forever), or, while iterating items, an error answer
 * (`cause`: the page's `{ error, status, response }`; `.pages()` yields it instead).
 */
export class PaginationError extends ApiClientError {
  override name = "PaginationError";
  /** The page that could not be followed, from 1. */
  readonly page: number;
  constructor(operation: string, page: number, reason: string, cause?: unknown) {
    super(`Paging ${operation} stopped at page ${page}: ${reason}`, { cause });
    this.page = page;
  }
}
