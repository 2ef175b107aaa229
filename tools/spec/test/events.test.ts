// What an event stream's schema describes: each event's data, or (an object of SSE's fields, `data`
// among them) the event itself, whose `data` property is then the data's schema.
import type { MediaTypeObject, OpenAPI3, SchemaObject } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { eventDataSchemaOf, eventSchemaOf } from "../src/index.ts";

const payload = { type: "object", properties: { delta: { type: "string" } } } as SchemaObject;
const document = {
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: {},
  components: {
    schemas: {
      Payload: payload,
      Event: { type: "object", required: ["data"], properties: { data: { $ref: "#/components/schemas/Payload" } } },
    },
  },
} as unknown as OpenAPI3;

describe("eventDataSchemaOf", () => {
  it("gives the data property of an event schema of SSE's fields, through $refs", () => {
    expect(eventDataSchemaOf(document, { $ref: "#/components/schemas/Event" })).toEqual({
      $ref: "#/components/schemas/Payload",
    });
    const fields = {
      type: "object",
      additionalProperties: false,
      properties: { event: { type: "string" }, id: { type: "string" }, retry: { type: "integer" }, data: payload },
    } as SchemaObject;
    expect(eventDataSchemaOf(document, fields)).toBe(payload);
  });

  it("gives nothing for a schema that describes the data: other properties, open to others, no data, a union", () => {
    const data = { type: "string" } as const;
    for (const schema of [
      payload,
      { type: "object", properties: { data, page: { type: "integer" } } },
      { type: "object", properties: { data }, additionalProperties: true },
      { type: "object", properties: { event: { type: "string" } } },
      { oneOf: [{ type: "object", properties: { data } }] },
      { type: "string" },
      { $ref: "#/components/schemas/Missing" },
      undefined,
    ])
      expect(eventDataSchemaOf(document, schema as never), JSON.stringify(schema)).toBeUndefined();
  });
});

describe("eventSchemaOf", () => {
  it("is OpenAPI 3.2's itemSchema where given, else the schema", () => {
    expect(eventSchemaOf({ schema: payload, itemSchema: { type: "string" } } as MediaTypeObject)).toEqual({
      type: "string",
    });
    expect(eventSchemaOf({ schema: payload } as MediaTypeObject)).toBe(payload);
    expect(eventSchemaOf(undefined)).toBeUndefined();
  });
});
