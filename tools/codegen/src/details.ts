import type { OperationDetails, ParameterStyle } from "@contracts/client-core";
import {
  eventDataSchemaOf,
  eventSchemaOf,
  isJson,
  markedPath,
  type Operation,
  parametersOf,
  preferredMediaTypeOf,
  resolveRef,
  stylesField,
  templateSent,
  styleOf as writtenStyle,
} from "@contracts/spec";
import type { MediaTypeObject, OpenAPI3, ParameterObject, ReferenceObject, SchemaObject } from "openapi-typescript";

// How an operation's calls go on the wire, read from its spec for client-core's OperationDetails:
// the media types the client sends and reads, and how its parameters are written. The rules
// match client-core's body types (types.ts): JSON where offered, else the first media type.

/** How openapi-fetch reads a success body of `mediaType`; undefined for JSON, its default, and for an event stream. */
function parseAsOf(mediaType: string): OperationDetails["parseAs"] {
  if (isJson(mediaType) || mediaType === eventStream) return undefined;
  return mediaType.startsWith("text/") ? "text" : "blob";
}

type Schema = SchemaObject | ReferenceObject;

/** JSON Schema's types whose values an event's data can only carry as JSON. */
const jsonTypes = ["object", "array", "number", "integer", "boolean"];

/** What of an event schema says whether it describes JSON. */
interface EventSchema {
  type?: unknown;
  properties?: Record<string, Schema>;
  contentMediaType?: string;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

/**
 * Whether an event's data schema describes JSON: a JSON type (or `properties`, `items`), a string whose
 * `contentMediaType` is JSON (as OpenAPI 3.2's SSE example writes an event's `data`), or a member of its
 * `allOf`, `anyOf` or `oneOf` that does (OpenAI's events are unions of objects).
 */
function describesJson(document: OpenAPI3, schema: Schema, seen: Set<object>): boolean {
  const resolved = resolveRef(document, schema) as EventSchema;
  if (seen.has(resolved)) return false;
  seen.add(resolved);
  const members = [resolved.allOf, resolved.anyOf, resolved.oneOf].flatMap((list) => list ?? []);
  return (
    [resolved.type].flat().some((type) => jsonTypes.includes(type as string)) ||
    "properties" in resolved ||
    "items" in resolved ||
    isJson(resolved.contentMediaType) ||
    members.some((member) => describesJson(document, member, seen))
  );
}

/**
 * How a `text/event-stream` answer's event data is read: as JSON where its schema describes JSON, else
 * as the text sent. The data's schema is the event schema's `data` where that schema describes the
 * event itself (the spec layer's `eventDataSchemaOf`), else the event schema.
 */
export function eventDataOf(document: OpenAPI3, media: MediaTypeObject | undefined): "json" | "text" {
  const event = eventSchemaOf(media);
  const schema = eventDataSchemaOf(document, event) ?? event;
  return schema !== undefined && describesJson(document, schema, new Set()) ? "json" : "text";
}

/** How a parameter or a form field is written where it gives a style: OpenAPI's `style`, `explode` and `allowReserved`. */
type Styled = { style?: string; explode?: boolean; allowReserved?: boolean };

/** The style written, with OpenAPI's defaults (a form field's as a query parameter's); `allowReserved` only where it is true. */
function styleOf(styled: Styled & { in?: ParameterObject["in"] }): ParameterStyle {
  const { allowReserved, ...style } = writtenStyle({ in: "query", ...styled });
  return { ...(style as ParameterStyle), ...(allowReserved && { allowReserved }) };
}

/** A record, or undefined when it is empty: details hold only what differs from the defaults. */
const unlessEmpty = <Value>(record: Record<string, Value>) => (Object.keys(record).length > 0 ? record : undefined);

/**
 * The query or cookie parameters not written as OpenAPI's default for both (`form`, exploded,
 * reserved characters encoded): their style, by name.
 */
function stylesIn(
  location: "query" | "cookie",
  parameters: ParameterObject[],
): Record<string, ParameterStyle> | undefined {
  const styles: Record<string, ParameterStyle> = {};
  for (const parameter of parameters) {
    const style = styleOf(parameter);
    if (parameter.in === location && !(style.style === "form" && style.explode && !style.allowReserved))
      styles[parameter.name] = style;
  }
  return unlessEmpty(styles);
}

const formTypes = ["multipart/form-data", "application/x-www-form-urlencoded"];

export const eventStream = "text/event-stream";

/**
 * The fields a form request body's `encoding` writes otherwise than OpenAPI's default: those with
 * a style (any of `style`, `explode` and `allowReserved` given, which sets `contentType` aside),
 * and those in a media type of their own (`contentType`, where it names one type: with a range or
 * a list, the part takes a Blob's own type).
 */
function fieldEncodingsOf(
  mediaType: string | undefined,
  content: Record<string, MediaTypeObject> | undefined,
): Pick<OperationDetails, "fieldStyles" | "fieldTypes"> {
  if (mediaType === undefined || !formTypes.includes(mediaType)) return {};
  const fieldStyles: Record<string, ParameterStyle> = {};
  const fieldTypes: Record<string, string> = {};
  // openapi-typescript types `explode` and `allowReserved` as strings; OpenAPI makes them booleans.
  const encodings = (content?.[mediaType]?.encoding ?? {}) as Record<string, Styled & { contentType?: string }>;
  for (const [name, encoding] of Object.entries(encodings)) {
    const { contentType = "" } = encoding;
    if (stylesField(encoding)) fieldStyles[name] = styleOf(encoding);
    else if (/^[^*,]+$/.test(contentType)) fieldTypes[name] = contentType;
  }
  return { fieldStyles: unlessEmpty(fieldStyles), fieldTypes: unlessEmpty(fieldTypes) };
}

/** The Accept header, where a response offers more than one media type: the chosen one of each response. */
function acceptOf(contents: (Record<string, unknown> | undefined)[]): string | undefined {
  if (!contents.some((content) => Object.keys(content ?? {}).length > 1)) return undefined;
  return [...new Set(contents.map(preferredMediaTypeOf).filter((mediaType) => mediaType !== undefined))].join(", ");
}

/** Where an operation's calls are sent, and what else client-core needs to send and read them as the spec says. */
export interface OperationWire {
  /** The path sent: without a `#fragment` (a spec may key two operations on one path that way), marked for its path parameters' styles (see `markedPath`); the spec's own path key types the method. */
  path: string;
  /** Only what differs from client-core's defaults (JSON, OpenAPI's default styles). */
  details: OperationDetails;
}

export function operationWireOf(document: OpenAPI3, operation: Operation): OperationWire {
  const parameters = parametersOf(document, operation).map(({ object }) => object);
  const path = markedPath(templateSent(operation.path), parameters);
  const responses = Object.values(operation.object.responses ?? {}).map((response) => resolveRef(document, response));
  const statuses = Object.keys(operation.object.responses ?? {});
  const success = responses.find((response, index) => statuses[index]!.startsWith("2") && response.content);
  const successType = preferredMediaTypeOf(success?.content);
  // A success answer that may be an event stream, alone or beside another media type.
  const streamed = success?.content?.[eventStream];
  const accept = acceptOf(responses.map(({ content }) => content));
  const requestBody = operation.object.requestBody && resolveRef(document, operation.object.requestBody);
  const requestType = preferredMediaTypeOf(requestBody?.content);
  const details: OperationDetails = {
    specPath: path === operation.path ? undefined : operation.path,
    parseAs: successType === undefined ? undefined : parseAsOf(successType),
    stream: streamed && eventDataOf(document, resolveRef(document, streamed)),
    // An answer that may also stream (chosen by the request, as OpenAI's `stream: true`) is asked for in both types.
    accept: streamed && accept && !accept.includes(eventStream) ? `${accept}, ${eventStream}` : accept,
    requestType: requestType === "application/json" ? undefined : requestType,
    ...fieldEncodingsOf(requestType, requestBody?.content),
    query: stylesIn("query", parameters),
    cookie: stylesIn("cookie", parameters),
  };
  return { path, details: Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)) };
}
