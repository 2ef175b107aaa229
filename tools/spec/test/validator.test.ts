import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { specValidator } from "../src/validator.ts";

/** A booking: an id the server sets, a card number only a request carries. */
const document = {
  openapi: "3.1.0",
  info: { title: "Bookings", version: "1.0.0" },
  paths: {},
  components: {
    schemas: {
      Id: { type: "string", readOnly: true },
      Booking: {
        type: "object",
        required: ["id", "name", "cvc"],
        unevaluatedProperties: false,
        properties: {
          id: { $ref: "#/components/schemas/Id" },
          name: { type: "string" },
          cvc: { type: "string", writeOnly: true },
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
