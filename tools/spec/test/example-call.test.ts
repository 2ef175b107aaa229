import { corpusRoot } from "@contracts/fixtures";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it, vi } from "vitest";
import {
  exampleCall,
  listApis,
  loadSpec,
  type Operation,
  operationsOf,
  parameterExample,
  parametersOf,
  preferredMediaTypeOf,
  requestBodyOf,
  specValidator,
} from "../src/index.ts";

/** Every value the example call holds, each with the schema it must satisfy and where it is. */
function exampleValues(document: OpenAPI3, operation: Operation) {
  const call = exampleCall(document, operation);
  const parameters = parametersOf(document, operation).map((parameter) => ({
    at: `${parameter.object.in} ${parameter.object.name}`,
    value: parameterExample(document, parameter),
    schemaPointer: parameter.schemaPointer,
  }));
  const body = call.bodyMediaType === undefined ? undefined : requestBodyOf(document, operation, call.bodyMediaType);
  const bodies = body?.schema
    ? [{ at: `body ${body.mediaType}`, value: call.body, schemaPointer: body.schemaPointer }]
    : [];
  return [...parameters, ...bodies];
}

/** What breaks its schema among the example call's values, as `operation place: value violation`. */
function schemaViolations(document: OpenAPI3): string[] {
  const validate = specValidator(document);
  return operationsOf(document).flatMap((operation) =>
    exampleValues(document, operation).flatMap(({ at, value, schemaPointer }) =>
      validate(schemaPointer, value).map((violation) => `${operation.id} ${at}: ${JSON.stringify(value)} ${violation}`),
    ),
  );
}

const operationNamed = (document: OpenAPI3, id: string) => {
  const operation = operationsOf(document).find((candidate) => candidate.id === id);
  if (!operation) throw new Error(`No operation ${id}`);
  return operation;
};

describe("parametersOf", () => {
  const document = {
    openapi: "3.1.0",
    info: { title: "Boards", version: "1.0.0" },
    paths: {
      "/boards/{board}/cells/{cell}": {
        parameters: [
          { $ref: "#/components/parameters/Board" },
          { name: "cell", in: "path", required: true, schema: { type: "string" } },
          { name: "cell", in: "query", schema: { type: "string" } },
        ],
        get: {
          operationId: "getCell",
          parameters: [
            { name: "cell", in: "path", required: true, schema: { type: "integer" } },
            { name: "trace", in: "header", content: { "application/json": { schema: { type: "object" } } } },
            { name: "Content-Type", in: "header", required: true, schema: { type: "string" } },
          ],
          responses: { "200": { description: "ok" } },
        },
      },
    },
    components: {
      parameters: { Board: { name: "board", in: "path", required: true, schema: { type: "string" } } },
    },
  } as unknown as OpenAPI3;

  it("merges the path item's parameters with the operation's, the operation's winning for one name and location, $refs resolved, without the headers OpenAPI ignores", () => {
    const [operation] = operationsOf(document);
    expect(
      parametersOf(document, operation!).map(({ object, pointer, schemaPointer }) => [
        `${object.in} ${object.name}`,
        pointer,
        schemaPointer,
      ]),
    ).toEqual([
      ["path board", "/components/parameters/Board", "/components/parameters/Board/schema"],
      [
        "query cell",
        "/paths/~1boards~1{board}~1cells~1{cell}/parameters/2",
        "/paths/~1boards~1{board}~1cells~1{cell}/parameters/2/schema",
      ],
      [
        "path cell",
        "/paths/~1boards~1{board}~1cells~1{cell}/get/parameters/0",
        "/paths/~1boards~1{board}~1cells~1{cell}/get/parameters/0/schema",
      ],
      [
        "header trace",
        "/paths/~1boards~1{board}~1cells~1{cell}/get/parameters/1",
        "/paths/~1boards~1{board}~1cells~1{cell}/get/parameters/1/content/application~1json/schema",
      ],
    ]);
  });
});

describe("exampleCall", () => {
  const document = {
    openapi: "3.1.0",
    info: { title: "Things", version: "1.0.0" },
    paths: {
      "/things/{id}/{day}": {
        parameters: [
          { $ref: "#/components/parameters/Id" },
          { name: "day", in: "path", required: true, schema: { type: "string", format: "date" } },
          { name: "trace", in: "header", required: true, schema: { type: "string", format: "uuid" } },
        ],
        post: {
          operationId: "postThing",
          parameters: [
            {
              name: "day",
              in: "path",
              required: true,
              schema: { type: "string", format: "date", example: "2000-01-03" },
              example: "2000-01-02",
              examples: { first: { value: "2000-01-01" } },
            },
            { name: "count", in: "query", required: true, schema: { type: "integer", minimum: 5, maximum: 9 } },
            {
              name: "tags",
              in: "query",
              required: true,
              schema: { type: "array", minItems: 2, items: { type: "string", minLength: 7, maxLength: 8 } },
            },
            { name: "code", in: "query", required: true, schema: { type: "string", pattern: "^[A-Z]{3}-\\d{2}$" } },
            { name: "limit", in: "query", required: true, schema: { type: "integer", default: "100" } },
            {
              name: "filter",
              in: "query",
              required: true,
              content: {
                "application/json": {
                  schema: { type: "object", required: ["kind"], properties: { kind: { enum: ["x", "y"] } } },
                },
              },
            },
            { name: "page", in: "query", schema: { type: "integer" }, example: 2 },
            { name: "contact", in: "cookie", required: true, schema: { type: "string", format: "email" } },
          ],
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": { schema: { type: "object" } },
              "application/vnd.thing+json": { schema: { $ref: "#/components/schemas/Thing" } },
            },
          },
          responses: { "200": { description: "ok" } },
        },
      },
    },
    components: {
      parameters: { Id: { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } } },
      schemas: {
        Thing: {
          type: "object",
          required: ["name", "homepage", "size", "when", "bytes"],
          properties: {
            id: { type: "string", readOnly: true },
            name: { type: "string", minLength: 10 },
            homepage: { type: "string", format: "uri" },
            size: { type: "integer", exclusiveMinimum: 0, maximum: 3 },
            when: { type: "string", format: "date-time" },
            bytes: { type: "string", format: "byte" },
          },
        },
      },
    },
  } as unknown as OpenAPI3;
  const [operation] = operationsOf(document) as [Operation];

  it("takes every location's example from the spec, else one made to satisfy the schema, the same on every run", () => {
    expect(exampleCall(document, operation)).toEqual({
      pathParameters: { id: "497f6eca-6276-4993-bfeb-53cbbbba6f08", day: "2000-01-01" },
      pathValues: { id: "497f6eca-6276-4993-bfeb-53cbbbba6f08", day: "2000-01-01" },
      // `page` is optional: left out despite its example.
      query: { count: 5, tags: ["strings", "strings"], code: "AAA-00", limit: 0, filter: { kind: "x" } },
      header: { trace: "497f6eca-6276-4993-bfeb-53cbbbba6f08" },
      cookie: { contact: "user@example.com" },
      path: "/things/497f6eca-6276-4993-bfeb-53cbbbba6f08/2000-01-01",
      // JSON before multipart; the readOnly `id` left out.
      body: {
        name: "stringstri",
        homepage: "http://example.com",
        size: 1,
        when: "2019-08-24T14:15:22Z",
        bytes: "c3RyaW5n",
      },
      bodyMediaType: "application/vnd.thing+json",
      bodyRequired: true,
    });
  });

  it("gives values that satisfy their schemas", () => {
    expect(schemaViolations(document)).toEqual([]);
    expect(exampleValues(document, operation).map(({ at }) => at)).toContain("body application/vnd.thing+json");
  });

  it("gives the same values when the module is loaded again in one process", async () => {
    const byte = { type: "string", format: "byte" } as const;
    const before = exampleCall(document, operation);
    vi.resetModules();
    const reloaded = await import("../src/example-call.ts");
    expect(reloaded.exampleCall(document, operation)).toEqual(before);
    expect(reloaded.schemaExample(document, byte)).toBe("c3RyaW5n");
  });

  it("fills label and matrix path parameters as their style says, arrays and objects too", () => {
    const styled = {
      openapi: "3.1.0",
      info: { title: "Styles", version: "1.0.0" },
      paths: {
        "/cells/{label}/{matrix}/{point}": {
          get: {
            parameters: [
              { name: "label", in: "path", required: true, style: "label", schema: { type: "string", example: "a b" } },
              {
                name: "matrix",
                in: "path",
                required: true,
                style: "matrix",
                explode: true,
                schema: { type: "array", items: { type: "integer" }, example: [1, 2] },
              },
              { name: "point", in: "path", required: true, schema: { type: "object", example: { x: 1, y: 2 } } },
            ],
            responses: { "200": { description: "ok" } },
          },
        },
      },
    } as unknown as OpenAPI3;
    const call = exampleCall(styled, operationsOf(styled)[0]!);
    expect(call.path).toBe("/cells/.a%20b/;matrix=1;matrix=2/x,1,y,2");
    expect(call.pathParameters).toEqual({ label: "a b", matrix: "1,2", point: "x,1,y,2" });
    expect(call.pathValues).toEqual({ label: "a b", matrix: [1, 2], point: { x: 1, y: 2 } });
  });

  it("prefers JSON, then +json, else the first media type", () => {
    expect(
      preferredMediaTypeOf({ "application/xml": {}, "application/merge-patch+json": {}, "application/json": {} }),
    ).toBe("application/json");
    expect(preferredMediaTypeOf({ "multipart/form-data": {}, "application/merge-patch+json": {} })).toBe(
      "application/merge-patch+json",
    );
    expect(preferredMediaTypeOf({ "application/xml": {}, "multipart/form-data": {} })).toBe("application/xml");
    expect(preferredMediaTypeOf({ "text/plain": {}, "application/octet-stream": {} })).toBe("text/plain");
    expect(preferredMediaTypeOf(undefined)).toBeUndefined();
  });
});

describe("example calls of the public corpus", async () => {
  const corpus = Object.fromEntries(
    await Promise.all((await listApis(corpusRoot)).map(async (api) => [api.id, await loadSpec(api)] as const)),
  );

  it.each(Object.entries(corpus))(
    "%s: every operation's parameter and body examples satisfy their schemas, and no path parameter is its own name",
    (_id, document) => {
      expect(schemaViolations(document)).toEqual([]);
      const named = operationsOf(document).flatMap((operation) =>
        Object.entries(exampleCall(document, operation).pathParameters)
          .filter(([name, value]) => name === value)
          .map(([name]) => `${operation.id} ${name}`),
      );
      expect(named).toEqual([]);
    },
  );

  it("museum: a uuid path parameter takes its schema's example", () => {
    const call = exampleCall(corpus.museum!, operationNamed(corpus.museum!, "getSpecialEvent"));
    expect(call.path).toBe("/special-events/dad4bce8-f5cb-4078-a211-995864315e39");
  });

  it("tictactoe: path-item parameters are filled, typed as integers", () => {
    const call = exampleCall(corpus.tictactoe!, operationNamed(corpus.tictactoe!, "get-square"));
    expect(call).toMatchObject({ path: "/board/1/1", pathValues: { row: 1, column: 1 } });
  });

  it("petstore: an integer path parameter without an example gets an integer", () => {
    const call = exampleCall(corpus.petstore!, operationNamed(corpus.petstore!, "getPetById"));
    expect(call).toMatchObject({ path: "/pet/0", pathValues: { petId: 0 }, pathParameters: { petId: "0" } });
  });

  it("pinecone-data: a required query array is given as an array", () => {
    const call = exampleCall(corpus["pinecone-data"]!, operationNamed(corpus["pinecone-data"]!, "fetch"));
    expect(call.query).toEqual({ ids: ["string"] });
  });

  it("pdf-blocks: a required multipart body is sampled with its required file and password", () => {
    const call = exampleCall(corpus["pdf-blocks"]!, operationNamed(corpus["pdf-blocks"]!, "addPasswordV1"));
    expect(call).toMatchObject({
      bodyMediaType: "multipart/form-data",
      bodyRequired: true,
      body: { file: "string", password: "pa$$word" },
    });
  });

  it("uspto: a form-urlencoded body comes from its schema's defaults", () => {
    const call = exampleCall(corpus.uspto!, operationNamed(corpus.uspto!, "perform-search"));
    expect(call).toMatchObject({
      path: "/oa_citations/v1/records",
      bodyMediaType: "application/x-www-form-urlencoded",
      bodyRequired: false,
      body: { criteria: "*:*", start: 0, rows: 100 },
    });
  });
});
