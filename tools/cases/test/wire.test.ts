import { operationsOf } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { bodyInit, caseRequest, encodedRequest } from "../src/wire.ts";

const value = { primitive: "s", array: ["a", "b"], object: { foo: "f", bar: "b" }, none: null };
/** A form's fields in order, as a server reads them. */
function fieldsOf(form: FormData): [string, FormDataEntryValue][] {
  const fields: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => {
    fields.push([name, value]);
  });
  return fields;
}
const partsOf = async (body: BodyInit) => fieldsOf(await new Response(body).formData());

describe("request bodies on the wire", () => {
  // OpenAI's `seed` has `minimum: -9223372036854776000`: the example call sent -2^63 as JavaScript
  // writes it, -9223372036854776000, which read exactly is beyond int64, and the mock refused it.
  it("writes an integer beyond 2^53 as the exact integer its double is, in JSON and in a form", () => {
    const seeds = { seed: -(2 ** 63), big: 2 ** 60, ratio: 1.5, id: 12 };
    expect(String(bodyInit({ mediaType: "application/json", value: seeds }))).toBe(
      '{"seed":-9223372036854775808,"big":1152921504606846976,"ratio":1.5,"id":12}',
    );
    expect(String(bodyInit({ mediaType: "application/x-www-form-urlencoded", value: seeds }))).toBe(
      "seed=-9223372036854775808&big=1152921504606846976&ratio=1.5&id=12",
    );
  });

  it("writes a form as OpenAPI's defaults say: each list item its own field, an object as its JSON", async () => {
    expect(String(bodyInit({ mediaType: "application/x-www-form-urlencoded", value }))).toBe(
      "primitive=s&array=a&array=b&object=%7B%22foo%22%3A%22f%22%2C%22bar%22%3A%22b%22%7D",
    );
    expect(await partsOf(bodyInit({ mediaType: "multipart/form-data", value }))).toEqual([
      ["primitive", "s"],
      ["array", "a"],
      ["array", "b"],
      ["object", '{"foo":"f","bar":"b"}'],
    ]);
  });

  it("writes a field its encoding styles in that style", async () => {
    const styled = (style: string, explode: boolean) =>
      partsOf(
        bodyInit({
          mediaType: "multipart/form-data",
          value,
          encoding: { array: { style, explode }, object: { style, explode } },
        }),
      );
    expect(await styled("form", false)).toEqual([
      ["primitive", "s"],
      ["array", "a,b"],
      ["object", "foo,f,bar,b"],
    ]);
    // An object in a delimited style as the client writes it: its name, then its keys and values.
    expect((await styled("pipeDelimited", false)).slice(1)).toEqual([
      ["array", "a|b"],
      ["object", "foo|f|bar|b"],
    ]);
    expect((await styled("deepObject", true)).slice(3)).toEqual([
      ["object[foo]", "f"],
      ["object[bar]", "b"],
    ]);
  });

  it("gives the bytes and the Content-Type a multipart body goes with, its boundary included", async () => {
    const encoded = await encodedRequest({
      method: "POST",
      path: "/forms",
      headers: { "x-a": "1" },
      body: { mediaType: "multipart/form-data", value: { name: "n" } },
    });
    const contentType = encoded.headers["content-type"]!;
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(encoded.headers["x-a"]).toBe("1");
    const form = await new Response(new Uint8Array(encoded.body), {
      headers: { "content-type": contentType },
    }).formData();
    expect(fieldsOf(form)).toEqual([["name", "n"]]);
  });
});

// OpenAI keys operations on `/responses/{response_id}?beta=true`: the query parameters went after a
// second `?`, inside the `beta` value, so the server saw none of them.
describe("a path the spec keys with a query", () => {
  it("takes the query parameters after an &", () => {
    const document = {
      openapi: "3.1.0",
      info: { title: "Beta", version: "1.0.0" },
      paths: {
        "/responses/{id}?beta=true": {
          get: {
            operationId: "getBeta",
            parameters: [
              { name: "id", in: "path", required: true, schema: { type: "string" } },
              { name: "limit", in: "query", schema: { type: "integer" } },
            ],
            responses: { "200": { description: "ok" } },
          },
        },
      },
    } as unknown as OpenAPI3;
    const [operation] = operationsOf(document);
    const values = { path: { id: "r1" }, query: { limit: 5 }, header: {}, cookie: {} };
    expect(caseRequest(document, operation!, values).path).toBe("/responses/r1?beta=true&limit=5");
  });
});

// The cases write parameters with the client's writer (client-core's styles.ts): openapi-fetch's own
// object serializer drops a delimited object's name, which the cases had sent as `?a,1,b,2`.
describe("parameters in their styles", () => {
  it("writes a delimited query object and a cookie list as the client does", () => {
    const document = {
      openapi: "3.1.0",
      info: { title: "Styles", version: "1.0.0" },
      paths: {
        "/things": {
          get: {
            operationId: "listThings",
            parameters: [
              { name: "filter", in: "query", style: "spaceDelimited", explode: false, schema: { type: "object" } },
              { name: "tags", in: "cookie", schema: { type: "array", items: { type: "string" } } },
            ],
            responses: { "200": { description: "ok" } },
          },
        },
      },
    } as unknown as OpenAPI3;
    const [operation] = operationsOf(document);
    const values = { path: {}, query: { filter: { a: 1, b: 2 } }, header: {}, cookie: { tags: ["x y", "z"] } };
    const request = caseRequest(document, operation!, values);
    expect(request.path).toBe("/things?filter=a%201%20b%202");
    expect(request.headers.cookie).toBe("tags=x%20y; tags=z");
  });
});
