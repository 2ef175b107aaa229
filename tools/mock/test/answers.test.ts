import { madeUpBody } from "@contracts/cases";
import { problemAnswer } from "@contracts/client-core/mock";
import { operationsOf, specValidator } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { documentedAnswers } from "../src/answers.ts";

const errors = (messageSchema: object) => ({
  type: "object",
  required: ["errors"],
  properties: { errors: { type: "array", items: { type: "object", properties: { message: messageSchema } } } },
});

/** Error bodies of three shapes: a message in a list, a single message, and none. */
const document = {
  openapi: "3.1.0",
  info: { title: "Widgets", version: "1.0.0" },
  paths: {
    "/widgets": {
      patch: {
        operationId: "updateWidget",
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { type: "object" }, examples: { saved: { value: {} } } } },
          },
          "400": {
            description: "invalid",
            content: {
              "application/json": {
                schema: errors({ type: "string" }),
                examples: { tooLong: { value: { errors: [{ message: "label too long" }] } } },
              },
            },
          },
          "401": {
            description: "no key",
            content: {
              "application/problem+json": {
                schema: { type: "object", properties: { detail: { type: "string", maxLength: 20 } } },
                example: { detail: "no key" },
              },
            },
          },
          "409": {
            description: "taken",
            content: { "application/json": { schema: { type: "object" }, examples: { nameTaken: { value: {} } } } },
          },
          "413": { description: "too large" },
          "4XX": {
            description: "any other client error",
            content: {
              "application/problem+json": {
                schema: { type: "object", properties: { status: { type: "integer" }, title: { type: "string" } } },
                example: { status: 400, title: "Bad request" },
              },
            },
          },
        },
      },
    },
  },
} as unknown as OpenAPI3;
const [operation] = operationsOf(document);
const answers = documentedAnswers(document);

describe("documented answers", () => {
  it("puts one violation per list item where the documented message sits in a list", () => {
    expect(answers.errorAnswer(operation, 400, ["a is missing", "b is too long"])).toEqual({
      status: 400,
      contentType: "application/json",
      body: { errors: [{ message: "a is missing" }, { message: "b is too long" }] },
    });
  });

  it("joins the violations in a single message, in the documented media type, unless that breaks the schema", () => {
    expect(answers.errorAnswer(operation, 401, ["no key", "at all"])).toEqual({
      status: 401,
      contentType: "application/problem+json",
      body: { detail: "no key; at all" },
    });
    // 20 characters at most: the documented example stays rather than break its own schema.
    expect(answers.errorAnswer(operation, 401, ["a violation longer than twenty characters"]).body).toEqual({
      detail: "no key",
    });
  });

  it("fills a given template instead of the example, and returns one with no documented schema as it is", () => {
    const template = { body: { errors: [{ message: "generated" }] }, contentType: "application/json" };
    expect(answers.errorAnswer(operation, 400, ["wrong"], template).body).toEqual({ errors: [{ message: "wrong" }] });
    expect(answers.errorAnswer(operation, 413, ["too large"], { body: "" })).toEqual({ status: 413, body: "" });
  });

  it("answers no body where the documented response has none, a problem body where no operation is known", () => {
    expect(answers.errorAnswer(operation, 413, ["over", "the limit"])).toEqual({ status: 413, body: undefined });
    expect(answers.errorAnswer(undefined, 413, ["over", "the limit"])).toEqual({
      status: 413,
      contentType: "application/problem+json",
      body: { type: "about:blank", title: "Payload Too Large", status: 413, detail: "over; the limit" },
    });
    expect(problemAnswer(405, "use PATCH").body).toMatchObject({ title: "Method Not Allowed", detail: "use PATCH" });
  });

  // A range's example is written for one status of it: sent under another, its `status` says that one.
  it("says the status it is sent with where the body has a status of its own", () => {
    expect(answers.errorAnswer(operation, 403, ["forbidden"]).body).toEqual({ status: 403, title: "forbidden" });
  });

  it("tells whether the operation documents a status: exactly, by its range, or not at all", () => {
    expect([200, 403, 500].map((status) => answers.documents(operation!, status))).toEqual([true, true, false]);
  });

  it("finds the status that documents an example, and refuses one it does not document, naming those it does", () => {
    expect(answers.statusOfExample(operation!, "nameTaken")).toBe(409);
    expect(answers.statusOfExample(operation!, "nope")).toBeUndefined();
    expect(answers.unknownExample(operation!, "nope")).toMatchObject({
      status: 404,
      body: { detail: "Prefer: example=nope names no example of updateWidget; it documents saved, tooLong, nameTaken" },
    });
  });
});

describe("a success body Prism made up", () => {
  // Discord's scopes: an `enum` beside an `allOf` whose branch lists other values. Prism's sampler
  // reads the `allOf` alone and sends "identify", which the schema refuses.
  const scopes = {
    type: "object",
    required: ["scopes"],
    properties: {
      scopes: {
        type: "array",
        minItems: 1,
        items: { type: "string", enum: ["bot"], allOf: [{ $ref: "#/components/schemas/Scope" }] },
      },
    },
  };
  const spec = {
    openapi: "3.1.0",
    info: { title: "Scopes", version: "1.0.0" },
    paths: {
      "/made-up": {
        get: {
          operationId: "madeUp",
          responses: { "200": { description: "ok", content: { "application/json": { schema: scopes } } } },
        },
      },
      "/documented": {
        get: {
          operationId: "documented",
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: scopes, example: { scopes: ["identify"] } } },
            },
          },
        },
      },
    },
    components: { schemas: { Scope: { type: "string", oneOf: [{ const: "identify" }, { const: "bot" }] } } },
  } as unknown as OpenAPI3;
  const [madeUp, documented] = operationsOf(spec);
  const fitting = documentedAnswers(spec).fitting;

  it("is replaced by the body the MSW handlers make up too, fitting the schema, whether Prism's fits or not", () => {
    const made = fitting(madeUp!, 200, "application/json", { scopes: ["identify"] }, false) as { scopes: string[] };
    expect(made.scopes.length).toBeGreaterThan(0);
    expect(new Set(made.scopes)).toEqual(new Set(["bot"]));
    const fits = { scopes: ["bot", "bot", "bot"] };
    expect(fitting(madeUp!, 200, "application/json; charset=utf-8", fits, false)).toEqual(made);
    const schemaPointer = "/paths/~1made-up/get/responses/200/content/application~1json/schema";
    expect(made).toEqual(madeUpBody(spec, scopes, (value) => specValidator(spec)(schemaPointer, value).length === 0));
  });

  it("is kept where Prism generated it (`--dynamic`) and the schema accepts it, else replaced", () => {
    const fits = { scopes: ["bot", "bot", "bot"] };
    expect(fitting(madeUp!, 200, "application/json", fits, true)).toBe(fits);
    const refused = fitting(madeUp!, 200, "application/json", { scopes: ["identify"] }, true) as { scopes: string[] };
    expect(new Set(refused.scopes)).toEqual(new Set(["bot"]));
  });

  it("is replaced by null where null is the first made-up body that fits", () => {
    const nullable = structuredClone(spec) as unknown as { paths: Record<string, { get: { responses: object } }> };
    nullable.paths["/made-up"]!.get.responses = {
      "200": {
        description: "ok",
        content: { "application/json": { schema: { type: ["array", "null"], items: { type: "integer" } } } },
      },
    };
    const [list] = operationsOf(nullable as unknown as OpenAPI3);
    const made = documentedAnswers(nullable as unknown as OpenAPI3).fitting(
      list!,
      200,
      "application/json",
      ["x"],
      false,
    );
    expect(made).not.toEqual(["x"]);
    expect(made === null || Array.isArray(made)).toBe(true);
  });

  it("is left as it is where the spec gives the example (its defect is the spec's to fix)", () => {
    const example = { scopes: ["identify"] };
    expect(fitting(documented!, 200, "application/json", example, false)).toBe(example);
  });
});

describe("an error body the spec gives no example of", () => {
  const spec = {
    openapi: "3.1.0",
    info: { title: "Errors", version: "1.0.0" },
    paths: {
      "/things": {
        post: {
          operationId: "createThing",
          responses: {
            "201": { description: "created" },
            "400": {
              description: "refused",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["code", "message"],
                    properties: { code: { type: "string", enum: ["invalid"] }, message: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
    },
  } as unknown as OpenAPI3;
  const [create] = operationsOf(spec);

  it("is the body both mocks make up, telling the violations, not the one Prism sampled", () => {
    const prismBody = { code: "string", message: "string" };
    const answer = documentedAnswers(spec).errorAnswer(create, 400, ["name is required"], {
      body: prismBody,
      contentType: "application/json",
    });
    expect(answer.body).toEqual({ code: "invalid", message: expect.stringContaining("name is required") });
  });
});

describe("a body in another media type than JSON", () => {
  const spec = {
    openapi: "3.1.0",
    info: { title: "Xml", version: "1.0.0" },
    paths: {
      "/pet": {
        get: {
          operationId: "getPet",
          responses: {
            "200": {
              description: "a pet",
              content: {
                "application/xml": {
                  schema: {
                    type: "object",
                    required: ["name"],
                    properties: { name: { type: "string", example: "Rex" } },
                  },
                },
              },
            },
          },
        },
      },
    },
  } as unknown as OpenAPI3;
  const [getPet] = operationsOf(spec);

  it("is the body both mocks make up where the spec gives no example, in place of Prism's", () => {
    const answered = documentedAnswers(spec).fitting(getPet!, 200, "application/xml", { name: "string" }, false);
    expect(answered).toEqual({ name: "Rex" });
  });
});
