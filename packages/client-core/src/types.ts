import type { MaybeOptionalInit } from "openapi-fetch";
import type {
  ErrorResponseJSON,
  HttpMethod,
  RequestBodyJSON,
  RequiredKeysOf,
  SuccessResponseJSON,
} from "openapi-typescript-helpers";
import type { CallLimits } from "./client.ts";

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

/** `{ params, body, headers, signal, timeout, maxRetries, validateResponses, ... }` of one call; optional only when nothing in it is required. */
type OperationArguments<Init> =
  RequiredKeysOf<Init> extends never ? [init?: Init & CallLimits] : [init: Init & CallLimits];

/** The typed method of one operation, e.g. `client.updateOrganization(init)`. */
// biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's interfaces (no index signature) only satisfy an `any` record, as in openapi-typescript-helpers
export type OperationMethod<Paths extends Record<string, any>, Path extends keyof Paths, Method extends HttpMethod> = (
  ...init: OperationArguments<MaybeOptionalInit<Paths[Path], Method>>
) => Promise<OperationResult<Paths[Path][Method]>>;
