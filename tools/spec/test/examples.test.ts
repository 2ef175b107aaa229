import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { examplesOf } from "../src/examples.ts";
import { specValidator } from "../src/validator.ts";

/** Every example sits behind a $ref somewhere on its way: the pointers must still reach a schema. */
const document = {
  openapi: "3.1.0",
  info: { title: "Widgets", version: "1.0.0" },
  paths: {
    "/widgets/{id}": {
      patch: {
        operationId: "patchWidget",
        parameters: [{ $ref: "#/components/parameters/Id" }],
        requestBody: { $ref: "#/components/requestBodies/Patch" },
        responses: { "200": { description: "ok" }, "4XX": { $ref: "#/components/responses/Problem" } },
      },
    },
  },
  components: {
    parameters: {
      Id: {
        name: "id",
        in: "path",
        required: true,
        schema: { type: "string", minLength: 2 },
        examples: { short: { value: "w" } },
      },
    },
    requestBodies: {
      Patch: {
        content: {
          "application/json": { schema: { type: "object", required: ["name"] }, examples: { empty: { value: {} } } },
        },
      },
    },
    responses: {
      Problem: {
        description: "bad",
        content: { "application/json": { schema: { type: "string" }, examples: { number: { value: 1 } } } },
      },
    },
  },
} as unknown as OpenAPI3;

describe("examplesOf", () => {
  it("points each example at a schema a validator finds through $ref'd parameters, bodies and responses", () => {
    const validate = specValidator(document);
    const verdicts = examplesOf(document).map(({ name, value, schemaPointer }) => [
      name,
      validate(schemaPointer, value).length > 0,
    ]);
    // Each example here breaks its schema: a pointer that missed its schema would throw or pass instead.
    expect(verdicts).toEqual([
      ["patchWidget request empty", true],
      ["patchWidget 4XX number", true],
      ["patchWidget parameter id short", true],
    ]);
  });
});
