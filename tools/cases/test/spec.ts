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
                examples: { rename: { value: { name: "abc" } }, rename2: { value: { name: "xyz" } } },
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
              content: {
                "application/json": {
                  schema: { $ref: "#/components/schemas/Problem" },
                  examples: { tooLong: { value: { message: "name is too long" } } },
                },
              },
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

/** One operation of each shape the derived cases treat apart: every parameter location, several schemes, a binary answer, only a 401. */
export function shapesSpec(): OpenAPI3 {
  const ok = { "200": { description: "ok" } };
  return {
    openapi: "3.1.0",
    info: { title: "Things", version: "1.0.0" },
    security: [{ Basic: [] }, { Key: [] }, { Session: [] }],
    paths: {
      "/things/{thing}": {
        parameters: [
          {
            name: "thing",
            in: "path",
            required: true,
            schema: { type: "string", format: "uuid", example: "3fa85f64-5717-4562-b3fc-2c963f66afa6" },
          },
        ],
        get: {
          operationId: "listThings",
          parameters: [
            {
              name: "limit",
              in: "query",
              required: true,
              schema: { type: "integer", minimum: 1, maximum: 100 },
              example: 10,
            },
            {
              name: "tags",
              in: "query",
              required: true,
              schema: { type: "array", maxItems: 3, items: { type: "string", enum: ["a", "b", "c"] } },
              example: ["a", "b"],
            },
            { name: "sort", in: "query", schema: { type: "string", enum: ["asc", "desc"] } },
            {
              name: "x-trace",
              in: "header",
              required: true,
              schema: { type: "string", pattern: "^[0-9]+$" },
              example: "1",
            },
            { name: "session", in: "cookie", required: true, schema: { type: "string" }, example: "s1" },
          ],
          responses: { ...ok, "400": { description: "bad" } },
        },
      },
      "/things/{thing}/image": {
        parameters: [{ name: "thing", in: "path", required: true, schema: { type: "string" }, example: "t1" }],
        post: {
          operationId: "thingImage",
          responses: {
            "200": { description: "ok", content: { "image/png": { schema: { type: "string", format: "binary" } } } },
            "204": { description: "none" },
          },
        },
      },
      "/locked": {
        post: {
          operationId: "onlyUnauthorized",
          security: [{ Basic: [] }],
          responses: { "401": { description: "no" } },
        },
      },
      "/open": { get: { operationId: "optionalAuth", security: [{ Key: [] }, {}], responses: ok } },
    },
    components: {
      securitySchemes: {
        Basic: { type: "http", scheme: "basic" },
        Key: { type: "apiKey", in: "query", name: "key" },
        Session: { type: "apiKey", in: "cookie", name: "sid" },
      },
    },
  } as unknown as OpenAPI3;
}
