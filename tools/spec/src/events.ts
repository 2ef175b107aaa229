// What an event stream's (`text/event-stream`) schema describes: each event's data, or the event
// itself. Codegen types and reads the events by it, and both mocks write them by it, so every tool
// reads one event schema alike.
import type { MediaTypeObject, OpenAPI3, ReferenceObject, SchemaObject } from "openapi-typescript";
import { resolvedOrNone } from "./pointers.ts";

type Schema = SchemaObject | ReferenceObject;

/** SSE's fields: all an event carries besides comments. */
export const eventFields = ["event", "data", "id", "retry"] as const;

/** A media type's event schema: OpenAPI 3.2's `itemSchema` (one event) where given, else its `schema`. */
export function eventSchemaOf(media: MediaTypeObject | undefined): Schema | undefined {
  return (media as { itemSchema?: Schema } | undefined)?.itemSchema ?? media?.schema;
}

/**
 * The schema of each event's data where the event schema describes the event itself: an object whose
 * properties are SSE's fields, `data` among them, and no others (`additionalProperties` not allowing
 * any), as OpenAPI 3.2's SSE example and Mistral's published spec write an event. Its `data` property's
 * schema then types the data, and each event's `event`, `id` and `retry` are SSE's fields of those
 * names. Undefined for any other schema: it describes the data, as OpenAI's spec writes it.
 */
export function eventDataSchemaOf(document: OpenAPI3, schema: Schema | undefined): Schema | undefined {
  const { properties, additionalProperties } = (resolvedOrNone(document, schema) ?? {}) as {
    properties?: Record<string, Schema>;
    additionalProperties?: unknown;
  };
  const names = Object.keys(properties ?? {});
  const open = additionalProperties !== undefined && additionalProperties !== false;
  if (!properties?.data || open || names.some((name) => !(eventFields as readonly string[]).includes(name)))
    return undefined;
  return properties.data;
}
