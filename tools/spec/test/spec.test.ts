import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, describe, expect, it } from "vitest";
import {
  apiById,
  clientPackageDir,
  concretePointer,
  exampleCall,
  fillPath,
  jsonMediaTypeOf,
  listApis,
  loadSpec,
  operationsOf,
  pascalCase,
  requestBodyOf,
  requestSchemaOf,
  requestSchemaPointer,
  responseForStatus,
  responsesOf,
  securityRequirementsOf,
  securitySchemesOf,
  selectApis,
  sentSchemesOf,
  specFilesOf,
  UnknownApiError,
} from "../src/index.ts";

/** A small spec written here, so each answer below is known in advance. */
const document = {
  openapi: "3.1.0",
  info: { title: "Widgets", version: "1.0.0" },
  paths: {
    "/widgets/{widget_id}": {
      parameters: [{ name: "widget_id", in: "path", required: true, schema: { type: "string", example: "w-0" } }],
      put: {
        operationId: "putWidget",
        parameters: [{ $ref: "#/components/parameters/WidgetId" }],
        requestBody: { $ref: "#/components/requestBodies/Widget" },
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/Widget" },
                examples: { saved: { value: { name: "w" } } },
              },
            },
          },
          "409": {
            description: "taken",
            content: { "application/problem+json": { schema: { type: "object" }, example: { title: "taken" } } },
          },
          "4XX": { $ref: "#/components/responses/Problem" },
          default: { description: "anything else" },
        },
      },
      get: { operationId: "getWidget", responses: { "200": { description: "ok" } } },
    },
  },
  components: {
    parameters: {
      WidgetId: {
        name: "widget_id",
        in: "path",
        required: true,
        schema: { type: "string" },
        examples: { one: { value: "w/1" } },
      },
    },
    requestBodies: {
      Widget: {
        content: {
          "application/json": {
            schema: { $ref: "#/components/schemas/Widget" },
            examples: { rename: { $ref: "#/components/examples/Rename" } },
          },
        },
      },
    },
    examples: { Rename: { value: { name: "renamed" } } },
    responses: {
      Problem: {
        description: "bad",
        content: { "application/json": { schema: { type: "object" }, examples: { bad: { value: {} } } } },
      },
    },
    schemas: { Widget: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
  },
} as unknown as OpenAPI3;

const [get, put] = operationsOf(document) as [
  ReturnType<typeof operationsOf>[number],
  ReturnType<typeof operationsOf>[number],
];

describe("operations", () => {
  it("lists every operation, by path then method, with its pointer", () => {
    expect(operationsOf(document).map(({ id, method, path, pointer }) => ({ id, method, path, pointer }))).toEqual([
      { id: "getWidget", method: "get", path: "/widgets/{widget_id}", pointer: "/paths/~1widgets~1{widget_id}/get" },
      { id: "putWidget", method: "put", path: "/widgets/{widget_id}", pointer: "/paths/~1widgets~1{widget_id}/put" },
    ]);
  });

  it("resolves the request schema through a $ref'd request body and schema, and has none without a body", () => {
    expect(requestSchemaOf(document, put)).toEqual({
      type: "object",
      properties: { name: { type: "string" } },
      required: ["name"],
    });
    expect(requestSchemaOf(document, get)).toBeUndefined();
  });

  it("gives the JSON request body with its examples and a schema pointer a validator can follow", () => {
    expect(requestBodyOf(document, put)).toEqual({
      mediaType: "application/json",
      schema: { $ref: "#/components/schemas/Widget" },
      schemaPointer: "/components/schemas/Widget",
      examples: [{ name: "rename", value: { name: "renamed" } }],
      firstExample: { value: { name: "renamed" } },
      required: false,
    });
    expect(requestBodyOf(document, get)).toBeUndefined();
  });

  it("points at the request schema with RFC 6901 escaping", () => {
    expect(requestSchemaPointer(put)).toBe(
      "/paths/~1widgets~1{widget_id}/put/requestBody/content/application~1json/schema",
    );
  });

  it("lists the responses with their concrete schema pointers and examples, through $refs and +json media types", () => {
    const responses = responsesOf(document, put);
    const put_ = "/paths/~1widgets~1{widget_id}/put/responses";
    expect(
      responses.map(({ status, schemaPointer, examples, firstExample }) => ({
        status,
        schemaPointer,
        examples,
        firstExample,
      })),
    ).toEqual([
      {
        status: "200",
        schemaPointer: "/components/schemas/Widget",
        examples: [{ name: "saved", value: { name: "w" } }],
        firstExample: { value: { name: "w" } },
      },
      {
        status: "409",
        schemaPointer: `${put_}/409/content/application~1problem+json/schema`,
        examples: [],
        firstExample: { value: { title: "taken" } },
      },
      // Through $ref'd responses and schemas: the pointer goes where the schema is, so that Ajv finds it.
      {
        status: "4XX",
        schemaPointer: "/components/responses/Problem/content/application~1json/schema",
        examples: [{ name: "bad", value: {} }],
        firstExample: { value: {} },
      },
      {
        status: "default",
        schemaPointer: `${put_}/default/content/application~1json/schema`,
        examples: [],
        firstExample: undefined,
      },
    ]);
    expect(responses[3]?.schema).toBeUndefined();
  });

  it("follows $refs on the way of a pointer, and finds nothing where nothing is", () => {
    expect(concretePointer(document, "/paths/~1widgets~1{widget_id}/put/requestBody/content/application~1json")).toBe(
      "/components/requestBodies/Widget/content/application~1json",
    );
    expect(
      concretePointer(document, "/paths/~1widgets~1{widget_id}/put/requestBody/content/application~1json/schema"),
    ).toBe("/components/schemas/Widget");
    expect(
      concretePointer(
        document,
        "/paths/~1widgets~1{widget_id}/put/requestBody/content/application~1json/schema/required",
      ),
    ).toBe("/components/schemas/Widget/required");
    expect(concretePointer(document, "/paths/~1widgets~1{widget_id}/get/requestBody")).toBeUndefined();
  });

  it("picks application/json first, else a +json media type, and nothing else", () => {
    expect(jsonMediaTypeOf({ "application/problem+json": {}, "application/json": {} })).toBe("application/json");
    expect(jsonMediaTypeOf({ "text/plain": {}, "application/problem+json": {} })).toBe("application/problem+json");
    expect(jsonMediaTypeOf({ "text/plain": {} })).toBeUndefined();
    expect(jsonMediaTypeOf(undefined)).toBeUndefined();
  });

  it("finds the response a status falls under: exact code, then range, then default", () => {
    const responses = responsesOf(document, put);
    expect(responseForStatus(responses, 200)?.status).toBe("200");
    expect(responseForStatus(responses, 404)?.status).toBe("4XX");
    expect(responseForStatus(responses, 503)?.status).toBe("default");
    expect(responseForStatus(responsesOf(document, get), 404)).toBeUndefined();
  });

  it("makes the example call from the first named examples, the operation's parameter over the path item's", () => {
    expect(exampleCall(document, put)).toEqual({
      pathParameters: { widget_id: "w/1" },
      pathValues: { widget_id: "w/1" },
      query: {},
      header: {},
      cookie: {},
      path: "/widgets/w%2F1",
      body: { name: "renamed" },
      bodyMediaType: "application/json",
      bodyRequired: false,
    });
    expect(exampleCall(document, get)).toMatchObject({ pathParameters: { widget_id: "w-0" }, path: "/widgets/w-0" });
    expect(exampleCall(document, get).bodyMediaType).toBeUndefined();
  });

  it("fills a path template, each value kept in its segment", () => {
    const template = "/orgs/{org_id}/items.{format}";
    expect(fillPath(template, { org_id: "a/b c", format: "json" })).toBe("/orgs/a%2Fb%20c/items.json");
  });
});

describe("security", () => {
  const secured = {
    ...document,
    security: [{ Key: [] }],
    components: {
      ...document.components,
      securitySchemes: {
        Key: { type: "apiKey", in: "header", name: "X-Key" },
        Token: { $ref: "#/components/securitySchemes/Bearer" },
        Bearer: { type: "http", scheme: "bearer" },
      },
    },
  } as unknown as OpenAPI3;
  const withOwn = (security: unknown) => ({ ...put, object: { ...put.object, security } }) as typeof put;

  it("answers with the document's requirement unless the operation has its own, each scheme once, $refs resolved", () => {
    expect(securitySchemesOf(secured, put)).toEqual([
      { name: "Key", scheme: { type: "apiKey", in: "header", name: "X-Key" } },
    ]);
    expect(
      securitySchemesOf(secured, withOwn([{ Token: [] }, { Key: [], Token: [] }])).map(({ name }) => name),
    ).toEqual(["Token", "Key"]);
    expect(securitySchemesOf(secured, withOwn([]))).toEqual([]);
  });

  it("sends the key as the first requirement's scheme says", () => {
    const placement = (own?: unknown) => {
      const [requirement = []] = securityRequirementsOf(secured, own === undefined ? put : withOwn(own));
      return sentSchemesOf(secured).filter(({ schemeName }) => requirement.includes(schemeName));
    };
    expect(placement()).toEqual([
      { schemeName: "Key", type: "apiKey", kind: "key", in: "header", name: "X-Key", prefix: "" },
    ]);
    expect(placement([{ Token: [] }])).toEqual([
      { schemeName: "Token", type: "http", kind: "token", in: "header", name: "Authorization", prefix: "Bearer " },
    ]);
    expect(placement([])).toEqual([]);
  });
});

describe("registry", () => {
  const root = mkdtemp(path.join(tmpdir(), "registry-test-"));
  afterAll(async () => rm(await root, { recursive: true, force: true }));
  const registry = async (yaml: string) => {
    await writeFile(path.join(await root, "redocly.yaml"), yaml);
    return root;
  };

  it("lists the APIs in registry order with absolute spec paths", async () => {
    const dir = await registry("apis:\n  zeta: { root: specs/zeta.yaml }\n  alpha: { root: specs/alpha.yaml }\n");
    expect(await listApis(dir)).toEqual([
      { id: "zeta", specPath: path.join(dir, "specs", "zeta.yaml"), root: dir, house: true },
      { id: "alpha", specPath: path.join(dir, "specs", "alpha.yaml"), root: dir, house: true },
    ]);
  });

  it("marks an entry with its own `extends` a vendor's spec, any other the house's", async () => {
    const dir = await registry(
      "apis:\n  ours: { root: specs/ours.yaml }\n  acme: { root: specs/acme.json, extends: [recommended] }\n",
    );
    expect((await listApis(dir)).map(({ id, house }) => ({ id, house }))).toEqual([
      { id: "ours", house: true },
      { id: "acme", house: false },
    ]);
  });

  it("says which files a loaded spec was read from: its root file, then each its `$ref`s reach", async () => {
    const dir = await registry("apis:\n  split: { root: specs/split.yaml, extends: [minimal] }\n");
    await mkdir(path.join(dir, "specs", "parts"), { recursive: true });
    await writeFile(
      path.join(dir, "specs", "split.yaml"),
      "openapi: 3.1.0\ninfo: { title: Split, version: 1.0.0 }\npaths: {}\n" +
        "components:\n  schemas:\n    Thing: { $ref: './parts/thing.yaml' }\n",
    );
    await writeFile(path.join(dir, "specs", "parts", "thing.yaml"), "type: object\n");
    expect(specFilesOf(await loadSpec(await apiById("split", dir)))).toEqual([
      path.join(dir, "specs", "split.yaml"),
      path.join(dir, "specs", "parts", "thing.yaml"),
    ]);
    expect(specFilesOf(document)).toBeUndefined();
  });

  it("finds an API by id, and names the known ones for an unknown id", async () => {
    const dir = await registry("apis:\n  zeta: { root: specs/zeta.yaml }\n  alpha: { root: specs/alpha.yaml }\n");
    expect((await apiById("alpha", dir)).id).toBe("alpha");
    await expect(apiById("beta", dir)).rejects.toThrow(UnknownApiError);
    await expect(apiById("beta", dir)).rejects.toThrow(
      'Unknown API id "beta". The registry (redocly.yaml) lists: zeta, alpha.',
    );
    expect((await selectApis([], dir)).map((api) => api.id)).toEqual(["zeta", "alpha"]);
  });

  it("says what to add when the registry lists no API or an entry has no root", async () => {
    await expect(listApis(await registry("apis: {}\n"))).rejects.toThrow(
      /lists no APIs: add an `apis:` entry per spec/,
    );
    await expect(listApis(await registry("apis:\n  zeta: {}\n"))).rejects.toThrow(/`apis.zeta` entry has no `root`/);
  });

  it("names the registry's file, line and column for a YAML error", async () => {
    const dir = await registry("apis:\n  zeta: { root: a.yaml }\n  zeta: { root: b.yaml }\n");
    await expect(listApis(dir)).rejects.toThrow(
      `${path.join(dir, "redocly.yaml")}:3:3: Map keys must be unique. Fix the YAML there.`,
    );
  });

  it("puts each client package under packages/clients/<id> of its repository", async () => {
    const dir = await registry("apis:\n  zeta: { root: specs/zeta.yaml }\n");
    const [api] = await listApis(dir);
    expect(clientPackageDir(api!)).toBe(path.join(dir, "packages", "clients", "zeta"));
  });
});

describe("names", () => {
  it("turns an id into the stem of its type names, whatever separates the words", () => {
    expect(pascalCase("updateOrgProperties")).toBe("UpdateOrgProperties");
    expect(pascalCase("update-org")).toBe("UpdateOrg");
    expect(pascalCase("pipecat-cloud")).toBe("PipecatCloud");
    expect(pascalCase("update_org properties.v2")).toBe("UpdateOrgPropertiesV2");
  });
});
