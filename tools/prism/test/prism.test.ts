import { gzipSync } from "node:zlib";
import type { Api } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import {
  contractViolations,
  createPrism,
  describeValidations,
  parseBody,
  prismConfig,
  prismOperations,
  prismRequest,
} from "../src/index.ts";

/** One GET with a query parameter of each kind: a single integer and a list of strings. */
const document = {
  openapi: "3.1.0",
  info: { title: "Items", version: "1.0.0" },
  paths: {
    "/items": {
      get: {
        operationId: "listItems",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", maximum: 50 } },
          { name: "tag", in: "query", schema: { type: "array", items: { type: "string" } } },
        ],
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { type: "array" }, examples: { none: { value: [] } } } },
          },
          "400": {
            description: "invalid",
            content: { "application/json": { schema: { type: "object" }, examples: { bad: { value: {} } } } },
          },
        },
      },
    },
  },
} as unknown as OpenAPI3;
const api: Api = { id: "items", specPath: "/nowhere/items.yaml", root: "/nowhere" };

async function requestViolations(target: string): Promise<string[]> {
  const prism = createPrism(api.id, prismConfig({ dynamic: false }));
  const request = prismRequest({ method: "GET", target, headers: {}, body: undefined });
  const result = await prism.request(request, await prismOperations(api, document))();
  if (result._tag === "Left") throw result.left;
  return describeValidations(result.right.validations);
}

describe("Prism's request", () => {
  it("carries a query parameter given once as one value, and a repeated one as a list", async () => {
    expect(prismRequest({ method: "GET", target: "/items?limit=15&tag=a&tag=b", headers: {}, body: null }).url).toEqual(
      { path: "/items", query: { limit: "15", tag: ["a", "b"] } },
    );
    expect(await requestViolations("/items?limit=15&tag=a&tag=b")).toEqual([]);
    expect(await requestViolations("/items?limit=15&tag=a")).toEqual([]);
  });

  it("still has Prism refuse a query value the spec rules out", async () => {
    expect(await requestViolations("/items?limit=51")).toEqual([expect.stringMatching(/^request\.query\.limit .*50/)]);
  });

  it("gives headers as Prism reads them: lower-case names, repeated values joined", () => {
    expect(
      prismRequest({ method: "PATCH", target: "/", headers: { "X-Tag": ["a", "b"], accept: "*/*" }, body: {} }),
    ).toMatchObject({ method: "patch", headers: { "x-tag": "a, b", accept: "*/*" }, body: {} });
  });
});

describe("the body as Prism reads it", () => {
  const json = { "content-type": "application/json; charset=utf-8" };

  it("parses JSON media types, decodes what content-encoding says, and leaves other bodies as text", () => {
    expect(parseBody(Buffer.from('{"a":1}'), json)).toEqual({ value: { a: 1 } });
    expect(parseBody(gzipSync('{"a":1}'), { ...json, "content-encoding": "gzip" })).toEqual({ value: { a: 1 } });
    expect(parseBody(Buffer.from("a=1"), { "content-type": "text/plain" })).toEqual({ value: "a=1" });
    expect(parseBody(Buffer.alloc(0), json)).toEqual({ value: undefined });
  });

  it("says what is wrong with bytes that are not what the headers promise, and keeps their text", () => {
    expect(parseBody(Buffer.from('{"a":'), json)).toEqual({
      value: '{"a":',
      problem: expect.stringMatching(/^is not valid JSON: /),
    });
    expect(parseBody(Buffer.from([0x7b, 0xff, 0x7d]), json)).toMatchObject({ problem: "is not valid UTF-8" });
    expect(parseBody(Buffer.from("plain"), { ...json, "content-encoding": "gzip" })).toMatchObject({
      problem: "does not decode as gzip",
    });
    expect(parseBody(gzipSync("x".repeat(100)), { "content-encoding": "gzip" }, 10)).toMatchObject({
      problem: "does not decode as gzip",
    });
  });
});

describe("Prism's diagnostics", () => {
  it("as violations: a JSON pointer for each, and one for those Prism gives no path", () => {
    const validations = {
      input: [{ path: ["body", "a/b"], message: "must be string", severity: 0, code: "type" }],
      output: [
        { message: "Unable to match the returned status code with those defined in the document", severity: 1 },
        { path: ["body"], message: "a hint", severity: 3 },
      ],
    };
    expect(contractViolations(validations)).toEqual({
      request: [{ side: "request", pointer: "/body/a~1b", rule: "must be string" }],
      response: [{ side: "response", pointer: "/statusCode", rule: expect.stringMatching(/status code/) }],
    });
  });
});
