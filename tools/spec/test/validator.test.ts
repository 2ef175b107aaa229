import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { specValidator } from "../src/validator.ts";

/** A booking: an id and a receipt the server sets, a card number only a request carries. */
const document = {
  openapi: "3.1.0",
  info: { title: "Bookings", version: "1.0.0" },
  paths: {},
  components: {
    schemas: {
      Id: { type: "string", readOnly: true },
      Receipt: { type: "object" },
      Booking: {
        type: "object",
        required: ["id", "name", "cvc"],
        unevaluatedProperties: false,
        properties: {
          id: { $ref: "#/components/schemas/Id" },
          name: { type: "string" },
          cvc: { type: "string", writeOnly: true },
          // DigitalOcean's connection details: marked in a member of its allOf.
          receipt: { allOf: [{ $ref: "#/components/schemas/Receipt" }, { readOnly: true }] },
        },
      },
    },
  },
} as unknown as OpenAPI3;
const booking = "/components/schemas/Booking";

describe("specValidator by direction", () => {
  it("a request needs no readOnly property and must not send one", () => {
    const validate = specValidator(document, "request");
    expect(validate(booking, { name: "n", cvc: "123" })).toEqual([]);
    expect(validate(booking, { id: "b1", name: "n", cvc: "123" })).toEqual([
      "/id is read-only: the server sets it, a request must not send it",
    ]);
    expect(validate(booking, { name: "n", cvc: "123", receipt: {} })).toEqual([
      "/receipt is read-only: the server sets it, a request must not send it",
    ]);
  });

  it("a response needs no writeOnly property and must not send one", () => {
    const validate = specValidator(document, "response");
    expect(validate(booking, { id: "b1", name: "n" })).toEqual([]);
    expect(validate(booking, { id: "b1", name: "n", cvc: "123" })).toEqual([
      "/cvc is write-only: a client sends it, a response must not carry it",
    ]);
  });

  it("without a direction, every property counts as written", () => {
    expect(specValidator(document)(booking, { name: "n" })).toEqual([
      "/ must have required property 'id'",
      "/ must have required property 'cvc'",
    ]);
  });
});

describe("specValidator over example values", () => {
  it("takes an `$id` or `$anchor` key inside an example as data, not as a schema's name", () => {
    // Box's metadata examples: the same `"$id"` written in two example values (Ajv refused the whole spec).
    const instance = { $id: "01234500-12f1-1234-aa12-b1d234cb567e", $anchor: "meta" };
    const withData = {
      openapi: "3.0.2",
      info: { title: "Files", version: "1.0.0" },
      paths: {
        "/files": {
          get: {
            responses: {
              "200": {
                description: "ok",
                content: {
                  "application/json": {
                    schema: { $ref: "#/components/schemas/Metadata" },
                    examples: { one: { value: { scope: instance } } },
                    "x-sample": instance,
                  },
                },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Metadata: {
            type: "object",
            example: { scope: instance },
            properties: { example: { type: "object", example: instance } },
            additionalProperties: { type: "object", example: instance },
          },
        },
      },
    } as unknown as OpenAPI3;
    const validate = specValidator(withData);
    expect(validate("/components/schemas/Metadata", { scope: instance })).toEqual([]);
    expect(validate("/components/schemas/Metadata", { scope: 1 })).toEqual(["/scope must be object"]);
  });
});
