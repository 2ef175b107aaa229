// The runtime every generated client shares. Its exports are what the generated code and its
// users need; the engine (retries, credentials) stays inside.

export type { Client, HeadersOptions, Middleware } from "openapi-fetch";
export {
  type ApiDescription,
  type CallLimits,
  type ClientOptions,
  createApiClient,
  type OperationDetails,
  type ResponseValidators,
} from "./client.ts";
export type { AuthScheme } from "./credentials.ts";
export {
  ApiClientError,
  ApiConnectionError,
  ApiTimeoutError,
  ApiUserAbortError,
  InvalidApiKeyError,
  MissingApiKeyError,
  MissingBaseUrlError,
  ResponseValidationError,
  type ResponseViolation,
} from "./errors.ts";
export type * from "./types.ts";
export type { ParameterStyle } from "./wire.ts";
