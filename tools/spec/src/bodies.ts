// What an operation's request and responses carry: their media types, body schemas and examples.
import type { ExampleObject, OpenAPI3, ReferenceObject, ResponseObject, SchemaObject } from "openapi-typescript";
import { isJson } from "./media.ts";
import type { Operation } from "./operations.ts";
import { concretePointer, jsonPointer, resolveRef } from "./pointers.ts";

/** The media type every request and response body of these APIs uses. */
export const jsonMediaType = "application/json";

/** The JSON media type among a body's content keys: `application/json` first, else the first `+json` one. */
export function jsonMediaTypeOf(content: Record<string, unknown> | undefined): string | undefined {
  const mediaTypes = Object.keys(content ?? {});
  return mediaTypes.includes(jsonMediaType) ? jsonMediaType : mediaTypes.find(isJson);
}

/**
 * The media type a client sends and reads a body in when several are offered: JSON (`application/json`,
 * then `+json`), else the first the spec lists: what the clients' types and runtime both take.
 */
export function preferredMediaTypeOf(content: Record<string, unknown> | undefined): string | undefined {
  return jsonMediaTypeOf(content) ?? Object.keys(content ?? {})[0];
}

/** JSON pointer of an operation's JSON request body schema (whether or not it exists). */
export function requestSchemaPointer(operation: Operation, mediaType = jsonMediaType): string {
  return `${operation.pointer}${jsonPointer("requestBody", "content", mediaType, "schema")}`;
}

/** The operation's JSON request body schema, `$ref`s at its top resolved; undefined without a JSON body. */
export function requestSchemaOf(document: OpenAPI3, operation: Operation): SchemaObject | undefined {
  const schema = requestBodyOf(document, operation)?.schema;
  return schema && resolveRef(document, schema);
}

/** JSON pointer of the schema of one response of an operation. */
export function responseSchemaPointer(operation: Operation, status: string, mediaType = jsonMediaType): string {
  return `${operation.pointer}${jsonPointer("responses", status, "content", mediaType, "schema")}`;
}

/** A JSON request or response body as the spec documents it. */
export interface BodySpec {
  mediaType: string;
  /** The body schema as written (a `$ref` stays one), if there is one. */
  schema: SchemaObject | ReferenceObject | undefined;
  /** Where that schema is, `$ref`s on the way followed, for a validator given the whole document. */
  schemaPointer: string;
  /** The named examples. */
  examples: { name: string; value: unknown }[];
  /** The first named example, else the single `example`; undefined when there is neither. */
  firstExample: { value: unknown } | undefined;
}

type Content = NonNullable<ResponseObject["content"]>;

/** The first named example with a value, else the single `example` (of a body, a parameter); undefined when there is neither. */
export function firstExampleOf(
  document: OpenAPI3,
  holder: { examples?: Record<string, ExampleObject | ReferenceObject>; example?: unknown } | undefined,
): { value: unknown } | undefined {
  const named = namedExamples(document, holder?.examples).find(({ value }) => value !== undefined);
  if (named) return { value: named.value };
  return holder && "example" in holder ? { value: holder.example } : undefined;
}

/** A map of named examples (a body's, a parameter's) as a list, `$ref`s resolved. */
export function namedExamples(
  document: OpenAPI3,
  examples: Record<string, ExampleObject | ReferenceObject> | undefined,
): { name: string; value: unknown }[] {
  return Object.entries(examples ?? {}).map(([name, example]) => ({
    name,
    value: resolveRef(document, example).value,
  }));
}

function bodyOf(document: OpenAPI3, content: Content | undefined, mediaType: string, writtenPointer: string): BodySpec {
  const media = content?.[mediaType] && resolveRef(document, content[mediaType]);
  const examples = namedExamples(document, media?.examples);
  return {
    mediaType,
    schema: media?.schema,
    schemaPointer: concretePointer(document, writtenPointer) ?? writtenPointer,
    examples,
    firstExample: firstExampleOf(document, media),
  };
}

/** A request body in one media type. */
export interface RequestBodySpec extends BodySpec {
  /** Whether the spec says the body is required (`requestBody.required`). */
  required: boolean;
}

const requestBodyObjectOf = (document: OpenAPI3, operation: Operation) =>
  operation.object.requestBody && resolveRef(document, operation.object.requestBody);

/** The operation's request body in one media type (`application/json` unless named); undefined when it takes none in it. */
export function requestBodyOf(
  document: OpenAPI3,
  operation: Operation,
  mediaType = jsonMediaType,
): RequestBodySpec | undefined {
  const requestBody = requestBodyObjectOf(document, operation);
  if (!requestBody?.content[mediaType]) return undefined;
  return {
    ...bodyOf(document, requestBody.content, mediaType, requestSchemaPointer(operation, mediaType)),
    required: requestBody.required === true,
  };
}

/** The media type a client sends the operation's request body in (see `preferredMediaTypeOf`); undefined when it takes none. */
export function requestMediaTypeOf(document: OpenAPI3, operation: Operation): string | undefined {
  return preferredMediaTypeOf(requestBodyObjectOf(document, operation)?.content);
}

export interface ResponseSpec extends BodySpec {
  /** `200`, `4XX` or `default`, as the spec writes it. */
  status: string;
}

/** Every documented response of an operation, in spec order, with its JSON body (`application/json` first, else `+json`). */
export function responsesOf(document: OpenAPI3, operation: Operation): ResponseSpec[] {
  return Object.entries(operation.object.responses ?? {}).map(([status, responseOrRef]) => {
    const response = resolveRef(document, responseOrRef);
    const mediaType = jsonMediaTypeOf(response.content) ?? jsonMediaType;
    return {
      status,
      ...bodyOf(document, response.content, mediaType, responseSchemaPointer(operation, status, mediaType)),
    };
  });
}

/**
 * One documented response's body (`status` as the spec writes it) in `mediaType`, else in its
 * preferred one (see `preferredMediaTypeOf`); undefined when it documents no body in that type.
 */
export function responseBodyOf(
  document: OpenAPI3,
  operation: Operation,
  status: string,
  mediaType?: string,
): BodySpec | undefined {
  const response = operation.object.responses?.[status];
  const content = response && resolveRef(document, response).content;
  const chosen = mediaType ?? preferredMediaTypeOf(content);
  if (chosen === undefined || !content?.[chosen]) return undefined;
  return bodyOf(document, content, chosen, responseSchemaPointer(operation, status, chosen));
}

/**
 * The response header the project's mock sets on an answer whose status the operation does not
 * document (Prism's own 401, 404, 422, ...): a gap in the spec, not a contract. Its value is the status.
 */
export const undocumentedHeader = "x-contracts-undocumented";

// Which documented response answers a status, as the clients and the MSW handlers read it.
export { documentedStatus, responseForStatus } from "../../../packages/client-core/src/responses.ts";
