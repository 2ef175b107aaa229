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
    super(
      `No API key for ${title}: pass { apiKey } to createClient() or set the ${apiKeyEnv} ` +
        "environment variable (or pass { apiKey: null } to send no credentials).",
    );
  }
}

/** A key no HTTP header can carry. The message says where the fault is, never the key itself. */
export class InvalidApiKeyError extends ApiClientError {
  override name = "InvalidApiKeyError";
  constructor(title: string, apiKeyEnv: string, position: number, length: number) {
    super(
      `The API key for ${title} (from the apiKey option or ${apiKeyEnv}) has a control or non-Latin-1 ` +
        `character at position ${position + 1} of ${length}, which no HTTP header can carry: ` +
        "look for a stray newline or space copied with the key.",
    );
  }
}

/** The spec names no server, so there is no default to send requests to. */
export class MissingBaseUrlError extends ApiClientError {
  override name = "MissingBaseUrlError";
  constructor(title: string) {
    super(`${title} documents no server: pass { baseUrl } to createClient().`);
  }
}

/** No answer came: the connection failed (refused, reset, DNS, TLS) on the last attempt. `cause` is the fetch error. */
export class ApiConnectionError extends ApiClientError {
  override name = "ApiConnectionError";
  constructor(url: string, cause: unknown) {
    super(`The request to ${url} got no answer: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The call took longer than its `timeout` (the whole call, retries and their waits included); it was aborted. */
export class ApiTimeoutError extends ApiClientError {
  override name = "ApiTimeoutError";
  readonly timeout: number;
  constructor(timeout: number) {
    super(`The request timed out after ${timeout} ms (retries included); raise the timeout option to wait longer.`);
    this.timeout = timeout;
  }
}

/** The caller's `signal` aborted the call. `cause` is the signal's reason. */
export class ApiUserAbortError extends ApiClientError {
  override name = "ApiUserAbortError";
  constructor(cause: unknown) {
    super("The request was aborted by the caller's signal.", { cause });
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
      `The ${response.status} answer of ${operation} breaks the spec: ` +
        violations.map(({ pointer, message }) => `${pointer || "/"} ${message}`).join("; "),
    );
    this.status = response.status;
    this.violations = violations;
    this.response = response;
  }
}
