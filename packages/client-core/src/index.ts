// The runtime every generated client shares. Its exports are what the generated code and its
// users need; the engine (retries, credentials) stays inside.

export type { Client, HeadersOptions, Middleware } from "openapi-fetch";
export {
  type AnyClientOptions,
  type ApiDescription,
  type CallLimits,
  type ClientOptions,
  type ConnectionOptions,
  createApiClient,
  type OperationDetails,
  type ResponseValidators,
  type SecurityDescription,
} from "./client.ts";
export type {
  AccessToken,
  AuthScheme,
  BasicCredentials,
  Credential,
  CredentialProvider,
  SecuritySchemeDescription,
} from "./credentials.ts";
export { clientDefaults } from "./defaults.ts";
export {
  ApiClientError,
  ApiConnectionError,
  ApiTimeoutError,
  ApiUserAbortError,
  CredentialRefreshError,
  InvalidApiKeyError,
  MissingApiKeyError,
  MissingBaseUrlError,
  MissingCredentialsError,
  PaginationError,
  ResponseValidationError,
  type ResponseViolation,
  StreamEventError,
  WebhookValidationError,
} from "./errors.ts";
export { withPagination } from "./paginated.ts";
export type { Pagination } from "./pagination.ts";
export type { ServerSentEvent } from "./sse.ts";
export type * from "./types.ts";
export type { ParameterStyle } from "./wire.ts";
