import type { Api } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";

/** A small spec written for these tests, so every derived case is known in advance. */
export function widgetSpec(securityScheme: Record<string, string> = { type: "http", scheme: "bearer" }): OpenAPI3 {
  return {
    openapi: "3.1.0",
    info: { title: "Widgets", version: "1.0.0" },
    security: [{ Key: [] }],
    paths: {
      "/widgets/{widget_id}": {
        patch: {
          operationId: "updateWidget",
          parameters: [{ name: "widget_id", in: "path", required: true, schema: { type: "string" }, example: "w 1" }],
          requestBody: {
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/WidgetUpdate" },
                examples: { rename: { value: { name: "abc" } } },
              },
            },
          },
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Widget" } } },
            },
            "400": {
              description: "bad",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Problem" } } },
            },
            "401": {
              description: "no key",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Problem" } } },
            },
          },
        },
        get: { operationId: "getWidget", responses: { "200": { description: "ok" } } },
      },
    },
    components: {
      securitySchemes: { Key: securityScheme },
      schemas: {
        WidgetUpdate: {
          type: "object",
          additionalProperties: false,
          required: ["name"],
          properties: {
            name: { type: "string", minLength: 1, maxLength: 3, pattern: "^[a-z]+$" },
            size: { oneOf: [{ type: "integer", minimum: 1, maximum: 10 }, { const: -1 }] },
          },
        },
        Widget: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
        Problem: { type: "object", required: ["message"], properties: { message: { type: "string" } } },
      },
    },
  } as unknown as OpenAPI3;
}

export const widgetApi: Api = { id: "widgets", specPath: "/nowhere/widgets.yaml", root: "/nowhere" };
