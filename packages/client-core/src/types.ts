import type { MaybeOptionalInit } from "openapi-fetch";
import type {
  $Read,
  $Write,
  ErrorStatus as ErrorResponseKey,
  HttpMethod,
  RequiredKeysOf,
  OkStatus as SuccessResponseKey,
  Writable,
} from "openapi-typescript-helpers";
import type { CallLimits } from "./client.ts";
import type { ServerSentEvent } from "./sse.ts";

/** Whether a property's type is marked writeOnly; `null` is not. */
type IsWriteOnly<Property> = [NonNullable<Property>] extends [never]
  ? false
  : NonNullable<Property> extends $Write<unknown>
    ? true
    : false;
/**
 * `T` as a response holds it: without its `writeOnly` properties, the `readOnly` ones unwrapped
 * (openapi-typescript's `readWriteMarkers`). openapi-typescript-helpers' `Readable`, which
 * openapi-fetch's own result type applies, except that a property whose type is `null` is kept
 * (theirs drops it: `NonNullable<null>` is `never`, which extends their marker,
 * openapi-ts/openapi-typescript#2717) and a Blob stays a Blob (theirs maps its methods to `{}`).
 * Request bodies take their `Writable` as is, as openapi-fetch's body type does.
 */
export type Readable<T> =
  T extends $Write<unknown>
    ? never
    : T extends $Read<infer U>
      ? Readable<U>
      : T extends Blob
        ? T
        : T extends (infer E)[]
          ? Readable<E>[]
          : T extends object
            ? { [K in keyof T as IsWriteOnly<T[K]> extends true ? never : K]: Readable<T[K]> }
            : T;

/** The media types the client reads and writes as JSON: `application/json` and `application/*+json`, parameters or not. */
type JsonMediaType =
  | "application/json"
  | `application/${string}+json`
  | `application/json;${string}`
  | `application/${string}+json;${string}`;
/** The form types, whose request bodies a call gives as an object for the client to serialize. */
type FormMediaType = "application/x-www-form-urlencoded" | "multipart/form-data";

/** The media types of a content map the client sends or reads: its JSON ones where it offers any, else all. */
type ChosenMediaType<Content> = [Extract<keyof Content, JsonMediaType>] extends [never]
  ? keyof Content
  : Extract<keyof Content, JsonMediaType>;

/**
 * What a body of `Schema` in `Media` is to the client. JSON is its schema, without `readOnly`
 * properties in a request and without `writeOnly` ones in a response (openapi-typescript's
 * markers); a form request body is its schema too, serialized by the client; `text/*` is a
 * string; any other type is a Blob, sent as given and read whole. An error body that is not
 * JSON is its text, as openapi-fetch reads it.
 */
type BodyIn<Media, Schema, Role extends "request" | "success" | "error"> = Media extends JsonMediaType
  ? Role extends "request"
    ? Writable<Schema>
    : Readable<Schema>
  : Role extends "error"
    ? string
    : [Role, Media] extends ["success", "text/event-stream"]
      ? undefined // its events come as the result's `stream`
      : [Role, Media] extends ["request", FormMediaType]
        ? Writable<Schema>
        : Media extends `text/${string}`
          ? string
          : Blob;

/** The body of a request or response object in the media types the client chooses; `undefined` when it has no content. */
type BodyOf<Message, Role extends "request" | "success" | "error"> = Message extends { content: infer Content }
  ? { [Media in ChosenMediaType<Content>]: BodyIn<Media, Content[Media], Role> }[ChosenMediaType<Content>]
  : undefined;

type ResponsesOf<Operation> = Operation extends { responses: infer Responses } ? Responses : never;
/** The body of the operation's responses whose status is one of `Statuses`. */
type ResponseBodyOf<Operation, Statuses, Role extends "success" | "error"> = {
  [Status in Extract<keyof ResponsesOf<Operation>, Statuses>]: BodyOf<ResponsesOf<Operation>[Status], Role>;
}[Extract<keyof ResponsesOf<Operation>, Statuses>];

/** The request body of an operation, in the media type the client sends (JSON where the spec offers it). */
export type RequestBodyOf<Operation> = Operation extends { requestBody?: infer Body }
  ? BodyOf<NonNullable<Body>, "request">
  : never;
/** The body of an operation's success responses, in the media type the client reads (JSON where the spec offers it). */
export type SuccessBodyOf<Operation> = ResponseBodyOf<Operation, SuccessResponseKey, "success">;
/** SSE's fields: all an event carries besides comments. */
type EventField = "event" | "data" | "id" | "retry";
/**
 * An event's data, from its schema's type: where the schema describes the event itself (an object of
 * SSE's fields, `data` among them, and no others: the spec layer's `eventDataSchemaOf`), its `data`;
 * else the type itself.
 */
type EventData<Schema> = [Schema] extends [object]
  ? IsUnion<Schema> extends true
    ? Schema // a union of schemas (`oneOf`, `anyOf`) describes the data, as the spec layer reads it
    : "data" extends keyof Schema
      ? [Exclude<keyof Schema, EventField>] extends [never]
        ? Exclude<Schema["data"], undefined>
        : Schema
      : Schema
  : Schema;
/** Whether `T` is a union of two or more types. */
type IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never;
/**
 * The data of the events of an operation's success answers that may be event streams
 * (`text/event-stream`, alone or beside another media type), typed by the media type's schema (its
 * `data` where it describes the event itself); `never` where none is.
 */
type EventDataOf<Operation> = {
  [Status in Extract<keyof ResponsesOf<Operation>, SuccessResponseKey>]: ResponsesOf<Operation>[Status] extends {
    content: { "text/event-stream": infer Data };
  }
    ? EventData<Data>
    : never;
}[Extract<keyof ResponsesOf<Operation>, SuccessResponseKey>];
/** A success answer that is an event stream: its events as `stream`, read as the caller iterates. */
type StreamResult<Operation> = [EventDataOf<Operation>] extends [never]
  ? never
  : {
      data: undefined;
      stream: AsyncIterable<ServerSentEvent<Readable<EventDataOf<Operation>>>>;
      error?: never;
      status: SuccessStatus;
      response: Response;
    };
/** The body of an operation's documented error responses (JSON where the spec offers it, else the text). */
export type ErrorBodyOf<Operation> = ResponseBodyOf<Operation, ErrorResponseKey, "error">;

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
/** The error statuses the spec documents for the operation, e.g. `400 | 401 | 404`. */
export type DocumentedErrorStatus<Operation> = Extract<keyof ResponsesOf<Operation>, ErrorStatus>;

/** One documented error status with its own body. */
type DocumentedError<Operation, Status> = Status extends keyof ResponsesOf<Operation>
  ? { data?: never; error: BodyOf<ResponsesOf<Operation>[Status], "error">; status: Status; response: Response }
  : never;

/**
 * What an operation method resolves to: openapi-fetch's `{ data, error, response }` plus
 * `status` (a copy of `response.status`), which narrows the result: TypeScript narrows an object
 * by its own properties, not by `result.response.status`. Each documented error status has its
 * own body type; any other status (a proxy's HTML 502, an undocumented 404) has `error: unknown`:
 * the parsed JSON, or the text when the body is not JSON. (openapi-fetch's own result type also
 * drops properties whose type is `null`, such as Bland's `errors: null`; this one keeps them.) A
 * success answer that is an event stream has its events as `stream` (narrowed by `"stream" in result`).
 */
// biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's interfaces (no index signature) only satisfy an `any` record, as in openapi-typescript-helpers
export type OperationResult<Operation extends Record<string | number, any>> =
  | { data: SuccessBodyOf<Operation>; error?: never; status: SuccessStatus; response: Response }
  | StreamResult<Operation>
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

/**
 * What `client.paginate.<method>(init)` returns: each item of every page (`for await (const item of
 * ...)`), from the first page to the last, and `.pages()`, each page's result as the operation method
 * gives it. Nothing is sent until iteration starts; each page is one call with `init`'s options
 * (its `signal` and `timeout` included).
 */
export interface Paginated<Item, Page> extends AsyncIterable<Item> {
  pages(): AsyncIterable<Page>;
}

/** The `paginate` entry of one operation: its method's arguments, its items typed `Item`. */
export type PaginateMethod<
  // biome-ignore lint/suspicious/noExplicitAny: openapi-typescript's interfaces (no index signature) only satisfy an `any` record, as in openapi-typescript-helpers
  Paths extends Record<string, any>,
  Path extends keyof Paths,
  Method extends HttpMethod,
  Item,
> = (
  ...init: OperationArguments<MaybeOptionalInit<Paths[Path], Method>>
) => Paginated<Item, OperationResult<Paths[Path][Method]>>;
