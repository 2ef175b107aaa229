import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { type Api, SpecError } from "@contracts/spec";
import { getHttpOperationsFromSpec } from "@stoplight/prism-http";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  contractViolations,
  createPrism,
  describeValidations,
  parameterDiagnostics,
  parseBody,
  prismConfig,
  prismOperations,
  prismOperationsOnDemand,
  prismRequest,
} from "../src/index.ts";

// Prism's own reading, watched: what each operation's document handed to it holds.
vi.mock("@stoplight/prism-http", async (original) => {
  const prism = await original<typeof import("@stoplight/prism-http")>();
  return { ...prism, getHttpOperationsFromSpec: vi.fn(prism.getHttpOperationsFromSpec) };
});

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
  const request = await prismRequest({ method: "GET", target, headers: {}, body: undefined });
  const result = await prism.request(request, await prismOperations(api, document))();
  if (result._tag === "Left") throw result.left;
  return describeValidations(result.right.validations);
}

describe("Prism's request", () => {
  it("carries a query parameter given once as one value, and a repeated one as a list", async () => {
    expect(
      (await prismRequest({ method: "GET", target: "/items?limit=15&tag=a&tag=b", headers: {}, body: null })).url,
    ).toEqual({ path: "/items", query: { limit: "15", tag: ["a", "b"] } });
    expect(await requestViolations("/items?limit=15&tag=a&tag=b")).toEqual([]);
    expect(await requestViolations("/items?limit=15&tag=a")).toEqual([]);
  });

  it("still has Prism refuse a query value the spec rules out", async () => {
    expect(await requestViolations("/items?limit=51")).toEqual([expect.stringMatching(/^request\.query\.limit .*50/)]);
  });

  it("gives headers as Prism reads them: lower-case names, repeated values joined", async () => {
    expect(
      await prismRequest({ method: "PATCH", target: "/", headers: { "X-Tag": ["a", "b"], accept: "*/*" }, body: {} }),
    ).toMatchObject({ method: "patch", headers: { "x-tag": "a, b", accept: "*/*" }, body: {} });
  });
});

/** One operation with a parameter of each location and style, every value an integer (or a list or object of them). */
const integers = { type: "array", items: { type: "integer" } };
const styled = {
  openapi: "3.1.0",
  info: { title: "Styles", version: "1.0.0" },
  paths: {
    "/styles/{simple}/{label}/{matrix}": {
      parameters: [
        { name: "simple", in: "path", required: true, schema: integers },
        { name: "label", in: "path", required: true, style: "label", schema: integers },
        { name: "matrix", in: "path", required: true, style: "matrix", schema: integers },
      ],
      get: {
        operationId: "styles",
        parameters: [
          { name: "form", in: "query", schema: integers },
          { name: "sid", in: "query", schema: { type: "string", pattern: "^PN[0-9]{2}$" } },
          // DigitalOcean's tag names: `\:` is a pattern only without the `u` flag.
          { name: "tag", in: "query", schema: { type: "string", maxLength: 5, pattern: "^[a-z\\:]+$" } },
          { name: "page", in: "query", schema: { type: "integer" } },
          // Discord's join-request status: an empty enum, not read (with a warning).
          { name: "status", in: "query", schema: { type: "string", enum: [] } },
          { name: "pipe", in: "query", style: "pipeDelimited", schema: integers },
          { name: "space", in: "query", style: "spaceDelimited", schema: integers },
          {
            name: "point",
            in: "query",
            style: "pipeDelimited",
            schema: { type: "object", properties: { x: { type: "integer" } } },
          },
          { name: "x-ids", in: "header", schema: integers },
          // DigitalOcean's apps: a header OpenAPI says to ignore, which the answer's media types say.
          { name: "Accept", in: "header", schema: { type: "string", enum: ["application/json"] } },
          { name: "session", in: "cookie", required: true, schema: { type: "integer" } },
          { name: "tags", in: "cookie", schema: integers },
        ],
        responses: {
          "204": { description: "ok" },
          "400": {
            description: "invalid",
            content: { "application/json": { schema: { type: "object" }, example: {} } },
          },
        },
      },
    },
  },
} as unknown as OpenAPI3;

describe("parameters of every location and style, as OpenAPI serializes them", () => {
  const stylesApi: Api = { id: "styles", specPath: "/nowhere/styles.yaml", root: "/nowhere" };
  const valid: { path: string; query: string; headers: Record<string, string> } = {
    path: "/styles/1,2/.3,4/;matrix=5,6",
    query: "form=1&form=2&pipe=1%7C2&space=1%202&point=x%7C3",
    headers: { "x-ids": "1, 2", cookie: "session=7; tags=1,2" },
  };

  async function violations(change: Partial<typeof valid>) {
    const { path, query, headers } = { ...valid, ...change };
    const operations = await prismOperations(stylesApi, styled);
    const prism = createPrism(stylesApi.id, prismConfig({ dynamic: false }));
    const request = await prismRequest(
      { method: "GET", target: `${path}?${query}`, headers, body: undefined },
      operations[0],
    );
    const result = await prism.request(request, operations)();
    if (result._tag === "Left") throw result.left;
    const cookies = parameterDiagnostics(request, operations[0]);
    return describeValidations({ ...result.right.validations, input: [...result.right.validations.input, ...cookies] });
  }

  it("accepts the valid value of each, and optional ones left out", async () => {
    expect(await violations({})).toEqual([]);
    expect(await violations({ query: "", headers: { cookie: "session=7" } })).toEqual([]);
    expect(await violations({ query: `${valid.query}&tag=a:b` })).toEqual([]);
    expect(await violations({ headers: { ...valid.headers, accept: "*/*" } })).toEqual([]);
  });

  // The client writes a cookie's value percent-encoded; Prism's validator had read it as it came.
  it("reads a cookie percent-decoded, as the MSW mocks read it", async () => {
    expect(await violations({ headers: { ...valid.headers, cookie: "session=%37; tags=1,%32" } })).toEqual([]);
  });

  // Each part of a list or object is read: a wrong item anywhere is refused by name, never lost or a 500.
  it.each([
    // Read as not exploded, Prism saw the last value only.
    ["a repeated form query (exploded by default)", { query: valid.query.replace("form=1", "form=x") }, /query\.form/],
    ["a pipe-delimited query", { query: valid.query.replace("pipe=1%7C2", "pipe=1%7Cx") }, /query\.pipe/],
    ["a space-delimited query", { query: valid.query.replace("space=1%202", "space=1%20x") }, /query\.space/],
    ["a pipe-delimited object", { query: valid.query.replace("point=x%7C3", "point=x%7Cy") }, /query\.point/],
    ["a simple path list", { path: valid.path.replace("1,2", "1,x") }, /path\.simple/],
    ["a label path list", { path: valid.path.replace(".3,4", ".3,x") }, /path\.label/],
    ["a matrix path list", { path: valid.path.replace("5,6", "5,x") }, /path\.matrix/],
    ["a header list", { headers: { ...valid.headers, "x-ids": "1, x" } }, /header\.x-ids/],
    ["a cookie", { headers: { ...valid.headers, cookie: "session=x" } }, /cookie\.session .*integer/],
    ["a cookie list", { headers: { ...valid.headers, cookie: "session=7; tags=1,x" } }, /cookie\.tags/],
    ["a required cookie missing", { headers: { ...valid.headers, cookie: "tags=1" } }, /cookie .*session/],
    // Prism's form reader took an empty value for none: `?sid=` passed the pattern.
    ["an empty query text", { query: `${valid.query}&sid=` }, /query\.sid .*pattern/],
    ["an empty query number", { query: `${valid.query}&page=` }, /query\.page .*integer/],
    [
      "a query list's only item, empty",
      { query: valid.query.replace("form=1&form=2", "form=") },
      /query\.form.* integer/,
    ],
    // Prism compiled the pattern with the `u` flag, failed, and checked nothing of the schema.
    [
      "a text beyond its maxLength, beside an Annex B pattern",
      { query: `${valid.query}&tag=a:bcde` },
      /query\.tag .*5/,
    ],
    ["a text its Annex B pattern refuses", { query: `${valid.query}&tag=a-b` }, /query\.tag .*pattern/],
    // Prism failed to compile the empty enum and checked none of the operation's parameters.
    [
      "a number beside a parameter whose enum is empty",
      { query: `${valid.query}&status=x&page=x` },
      /query\.page .*integer/,
    ],
  ])("refuses a wrong value in %s", async (_name, change, reported) => {
    const found = await violations(change);
    expect(found).toEqual([expect.stringMatching(reported)]);
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
    // A file is bytes: a PNG's first bytes are not UTF-8, and stay as they came.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const type of ["image/png", "application/octet-stream", "multipart/form-data; boundary=x"])
      expect(parseBody(png, { "content-type": type })).toEqual({ value: png.toString("latin1") });
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

describe("Prism's document: nothing is fetched", () => {
  // A server that counts each request: Prism must send it none.
  const asked: string[] = [];
  const remote = createServer((request, response) => {
    asked.push(`${request.method} ${request.url}`);
    response.end('{"type":"string"}');
  });
  let origin = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => remote.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => remote.close(resolve)));

  /** A document whose 200 answers `media` (a media type object) and whose `/items` has the parameter `parameter`. */
  const withResponse = (media: object, parameter: object = { name: "q", in: "query", schema: { type: "string" } }) =>
    ({
      openapi: "3.1.0",
      info: { title: "Items", version: "1.0.0" },
      paths: {
        "/items": {
          get: {
            operationId: "listItems",
            parameters: [parameter],
            responses: { "200": { description: "ok", content: { "application/json": media } } },
          },
        },
      },
      components: { schemas: { Item: { type: "object", properties: { id: { type: "string" } } } } },
    }) as unknown as OpenAPI3;

  it("hands example values to Prism as data: a $ref key in one is neither followed nor fetched", async () => {
    const scim = { value: "7", $ref: `${origin}/scim/v2/Groups/7` };
    const local = { $ref: "#/components/schemas/Item" };
    const media = {
      schema: { type: "object", default: { group: scim }, enum: [{ group: scim }, local] },
      example: { groups: [scim], item: local },
      examples: { named: { value: local }, elsewhere: { externalValue: `${origin}/items.json` } },
    };
    const parameter = {
      name: "q",
      in: "query",
      schema: { type: "object", example: local },
      examples: { a: { value: scim } },
    };
    const [operation] = await prismOperations(api, withResponse(media, parameter));
    const content = operation!.responses[0]!.contents![0]!;
    expect(content.examples).toEqual([
      expect.objectContaining({ key: "default", value: { groups: [scim], item: local } }),
      expect.objectContaining({ key: "named", value: local }),
      expect.objectContaining({ key: "elsewhere", externalValue: `${origin}/items.json` }),
    ]);
    expect(content.schema).toMatchObject({ default: { group: scim }, enum: [{ group: scim }, local] });
    const query = operation!.request!.query![0]!;
    expect(query.examples).toEqual([expect.objectContaining({ key: "a", value: scim })]);
    expect(query.schema).toMatchObject({ examples: [local] });
    expect(asked).toEqual([]);
  });

  it("refuses a $ref to a URL outside example values, with its place and the fix", async () => {
    const refused = prismOperations(api, withResponse({ schema: { $ref: `${origin}/item.json` } }));
    await expect(refused).rejects.toThrow(SpecError);
    await expect(refused).rejects.toThrow(
      `items.yaml#/paths/~1items/get/responses/200/content/application~1json/schema: the $ref ${origin}/item.json names a URL, and the mocks fetch nothing; save a copy of it beside the spec and $ref that file instead`,
    );
    expect(asked).toEqual([]);
  });
});

describe("Prism's view of each operation, read when first asked for", () => {
  // Two operations sharing components, one of them a cycle (Prism copies each shared schema where it is used).
  const shared = {
    openapi: "3.1.0",
    info: { title: "Trees", version: "1.0.0" },
    components: {
      securitySchemes: { key: { type: "apiKey", in: "header", name: "x-key" } },
      parameters: { depth: { name: "depth", in: "query", schema: { type: "integer", format: "int64" } } },
      schemas: {
        Node: {
          type: "object",
          properties: {
            name: { type: "string" },
            children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
          },
        },
        Leaf: {
          type: "object",
          properties: { node: { $ref: "#/components/schemas/Node" } },
          example: { node: { $ref: "#/x" } },
        },
      },
    },
    security: [{ key: [] }],
    // Root extensions: webhooks as a 3.0 spec keeps them (GitHub's), and parameters an operation reaches.
    "x-webhooks": {
      treePlanted: {
        post: {
          requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Leaf" } } } },
          responses: { "200": { description: "ok" } },
        },
      },
    },
    "x-parameters": { cursor: { name: "cursor", in: "query", schema: { type: "string" } } },
    paths: {
      "/trees/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: {
          operationId: "getTree",
          parameters: [{ $ref: "#/components/parameters/depth" }, { $ref: "#/x-parameters/cursor" }],
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Node" } } },
            },
          },
        },
        put: {
          operationId: "putTree",
          requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Leaf" } } } },
          responses: { "204": { description: "done" } },
        },
      },
      "/leaves": { get: { operationId: "listLeaves", responses: {} } },
    },
  } as unknown as OpenAPI3;

  it("is Prism's reading of the whole document, operation by operation", async () => {
    const onDemand = await prismOperationsOnDemand(api, shared);
    const whole = await prismOperations(api, shared);
    expect(whole).toHaveLength(3);
    for (const operation of whole)
      expect(await onDemand.operation(operation.method, operation.path)).toEqual(operation);
  });

  it("hands Prism only what the operation reaches, root extensions included", async () => {
    const onDemand = await prismOperationsOnDemand(api, shared);
    const readBy = async (method: string, path: string) => {
      await onDemand.operation(method, path);
      return vi.mocked(getHttpOperationsFromSpec).mock.lastCall![0] as Record<string, Record<string, object>>;
    };
    const leaves = await readBy("get", "/leaves");
    expect(leaves).not.toHaveProperty("x-webhooks");
    expect(leaves).not.toHaveProperty("x-parameters");
    expect(leaves.components!.schemas).toBeUndefined();
    expect(Object.keys(await readBy("get", "/trees/{id}"))).toContain("x-parameters");
  });

  it("routes as Prism's router does a request our routing found no operation for", async () => {
    const onDemand = await prismOperationsOnDemand(api, shared);
    const route = async (target: string) =>
      onDemand.route(await prismRequest({ method: "GET", target, headers: {}, body: undefined }));
    expect(await route("/leaves")).toEqual({ method: "get", path: "/leaves" });
    expect(await route("/nowhere")).toEqual({
      error: expect.objectContaining({
        status: 404,
        detail: "The route /nowhere hasn't been found in the specification file",
      }),
    });
  });

  it("refuses at once what it would refuse reading the whole document", async () => {
    const remote = {
      ...shared,
      paths: { "/x": { get: { responses: { "200": { $ref: "https://example.test/r.json" } } } } },
    };
    await expect(prismOperationsOnDemand(api, remote as unknown as OpenAPI3)).rejects.toThrow(
      "items.yaml#/paths/~1x/get/responses/200: the $ref https://example.test/r.json names a URL",
    );
    await expect(prismOperationsOnDemand(api, { ...shared, paths: {} } as OpenAPI3)).rejects.toThrow(
      "the spec has no paths to serve",
    );
  });
});

// OpenAI's transcription form: `stream: { anyOf: [{ type: boolean }, { type: null }] }`. A field's
// text was typed by a top-level `type` only, so `false` stayed text and the mock refused the form.
describe("a form field whose schema is anyOf or oneOf of types", () => {
  const transcriptions = {
    openapi: "3.1.0",
    info: { title: "Audio", version: "1.0.0" },
    paths: {
      "/transcriptions": {
        post: {
          operationId: "transcribe",
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: {
                    stream: { anyOf: [{ type: "boolean" }, { type: "null" }] },
                    count: { oneOf: [{ type: "integer" }, { type: "null" }] },
                  },
                },
              },
            },
          },
          responses: { "200": { description: "ok" } },
        },
      },
    },
  } as unknown as OpenAPI3;
  const api: Api = { id: "audio", specPath: "/nowhere/audio.yaml", root: "/nowhere" };

  it("reads the field's text as one of its members' types", async () => {
    const operations = await prismOperations(api, transcriptions);
    const prism = createPrism(api.id, prismConfig({ dynamic: false }));
    const boundary = "b0undary";
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const headers = { "content-type": `multipart/form-data; boundary=${boundary}` };
    const bytes = Buffer.from(`${part("stream", "false")}${part("count", "3")}--${boundary}--\r\n`);
    const body = parseBody(bytes, headers).value;
    const request = await prismRequest({ method: "POST", target: "/transcriptions", headers, body }, operations[0]);
    expect(request.body).toEqual({ stream: false, count: 3 });
    const result = await prism.request(request, operations)();
    if (result._tag === "Left") throw result.left;
    expect(describeValidations(result.right.validations)).toEqual([]);
  });
});
