import { corpusRoot, fixtureRoot } from "@contracts/fixtures";
import { listApis, loadSpec, operationsOf } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { type OperationWire, operationWireOf } from "../src/details.ts";
import { emitClientModule } from "../src/emit/client.ts";
import { emitSchemaTypes } from "../src/emit/schema.ts";
import { apiModel } from "../src/model.ts";

/** An API of a registry and its spec. */
async function specOf(root: string, id: string) {
  const api = (await listApis(root)).find((candidate) => candidate.id === id)!;
  return { api, document: await loadSpec(api) };
}

/** Each operation's wire by `METHOD path`, of a registry's spec (the corpus: public specs, as their vendors publish them). */
async function wiresOf(root: string, id: string): Promise<Record<string, OperationWire>> {
  const { document } = await specOf(root, id);
  return Object.fromEntries(
    operationsOf(document).map((operation) => [
      `${operation.method.toUpperCase()} ${operation.path}`,
      operationWireOf(document, operation),
    ]),
  );
}

/** The styles of parameters-style's `primitive`, `array` and `object` parameters of a `form`, not exploded operation. */
const notExploded = { style: "form", explode: false };
const formNotExploded = { primitive: notExploded, array: notExploded, object: notExploded };

describe("an operation's wire, from its spec", () => {
  it("is the spec's path and nothing more for a JSON API in OpenAPI's default styles", async () => {
    for (const api of await listApis(fixtureRoot))
      for (const [endpoint, wire] of Object.entries(await wiresOf(fixtureRoot, api.id)))
        expect(wire, endpoint).toEqual({ path: endpoint.split(" ")[1], details: {} });
  });

  it("reads a binary answer as a Blob and sends a multipart body as a form", async () => {
    const museum = await wiresOf(corpusRoot, "museum");
    expect(museum["GET /tickets/{ticketId}/qr"]!.details).toEqual({ parseAs: "blob" });
    const pdfBlocks = await wiresOf(corpusRoot, "pdf-blocks");
    expect(pdfBlocks["POST /v1/rotate_pages"]!.details).toEqual({
      parseAs: "blob",
      requestType: "multipart/form-data",
    });
  });

  it("asks for JSON where JSON and XML are offered, problem+json for the errors", async () => {
    const petstore = await wiresOf(corpusRoot, "petstore");
    expect(petstore["GET /pet/{petId}"]!.details).toEqual({ accept: "application/json" });
    // JSON, XML and a form are offered for the body: JSON is the default, nothing to say.
    expect(petstore["PUT /pet"]!.details).toEqual({ accept: "application/json" });
    // No spec the corpus keeps has problem+json errors beside a JSON-or-XML answer (train-travel did;
    // it left for its licence): petstore's pet lookup gets a problem+json 404, in a copy of its document.
    const { document } = await specOf(corpusRoot, "petstore");
    const withProblems = structuredClone(document);
    const lookup = operationsOf(withProblems).find(({ id }) => id === "getPetById")!;
    lookup.object.responses = {
      ...lookup.object.responses,
      "404": { description: "Pet not found", content: { "application/problem+json": { schema: { type: "object" } } } },
    };
    expect(operationWireOf(withProblems, lookup).details).toEqual({
      accept: "application/json, application/problem+json",
    });
  });

  it("sends a form-urlencoded or binary body in its media type", async () => {
    expect((await wiresOf(corpusRoot, "uspto"))["POST /{dataset}/{version}/records"]!.details).toEqual({
      requestType: "application/x-www-form-urlencoded",
    });
    expect((await wiresOf(corpusRoot, "petstore"))["POST /pet/{petId}/uploadImage"]!.details).toEqual({
      requestType: "application/octet-stream",
    });
  });

  it("gives each query parameter not written as form, exploded, its style", async () => {
    const parametersStyle = await wiresOf(corpusRoot, "parameters-style");
    expect(parametersStyle["GET /anything/query"]!.details).toEqual({});
    expect(parametersStyle["GET /anything/query/form"]!.details.query).toEqual(formNotExploded);
    expect(parametersStyle["GET /anything/query/pipeDelimited"]!.details.query?.array).toEqual({
      style: "pipeDelimited",
      explode: false,
    });
    expect(parametersStyle["GET /anything/query/deepObject"]!.details.query).toEqual({
      object: { style: "deepObject", explode: true },
    });
  });

  it("gives each cookie parameter not written as form, exploded, its style", async () => {
    const parametersStyle = await wiresOf(corpusRoot, "parameters-style");
    expect(parametersStyle["GET /cookies"]!.details).toEqual({});
    expect(parametersStyle["GET /cookies#formNonExploded"]!.details.cookie).toEqual(formNotExploded);
    expect(parametersStyle["GET /cookies#formExploded"]!.details.cookie).toBeUndefined();
  });

  it("gives each form field its encoding's style, else the one media type it names", async () => {
    const parametersStyle = await wiresOf(corpusRoot, "parameters-style");
    expect(parametersStyle["POST /anything/form-data"]!.details).toEqual({ requestType: "multipart/form-data" });
    expect(parametersStyle["POST /anything/form-data/form"]!.details.fieldStyles).toEqual(formNotExploded);
    expect(parametersStyle["PUT /anything/form-data/form"]!.details.fieldStyles?.object).toEqual({
      style: "form",
      explode: true,
    });
    expect(parametersStyle["POST /anything/form-data/spaceDelimited"]!.details.fieldStyles?.array).toEqual({
      style: "spaceDelimited",
      explode: false,
    });
    const document = {
      openapi: "3.1.0",
      info: { title: "Forms", version: "1.0.0" },
      paths: {
        "/forms": {
          post: {
            requestBody: {
              content: {
                "application/x-www-form-urlencoded": {
                  schema: { type: "object" },
                  encoding: {
                    meta: { contentType: "application/json" },
                    scan: { contentType: "image/*" },
                    photo: { contentType: "image/png, image/jpeg" },
                    // Any of style, explode and allowReserved writes the field in a style, its contentType set aside.
                    ids: { explode: false, contentType: "application/json" },
                    path: { allowReserved: true },
                  },
                },
              },
            },
            responses: { "204": { description: "Done" } },
          },
        },
      },
    } as unknown as OpenAPI3;
    expect(operationWireOf(document, operationsOf(document)[0]!).details).toEqual({
      requestType: "application/x-www-form-urlencoded",
      fieldStyles: {
        ids: { style: "form", explode: false },
        path: { style: "form", explode: true, allowReserved: true },
      },
      fieldTypes: { meta: "application/json" },
    });
  });

  it("sends label and matrix path parameters with openapi-fetch's markers, and a path without its #fragment", async () => {
    const parametersStyle = await wiresOf(corpusRoot, "parameters-style");
    const spec = (path: string) => ({ specPath: path });
    expect(parametersStyle["GET /anything/path/label/{primitive}/{array}/{object}"]).toEqual({
      path: "/anything/path/label/{.primitive}/{.array}/{.object}",
      details: spec("/anything/path/label/{primitive}/{array}/{object}"),
    });
    expect(parametersStyle["POST /anything/path/matrix/{primitive}/{array}/{object}"]).toEqual({
      path: "/anything/path/matrix/{;primitive*}/{;array*}/{;object*}",
      details: spec("/anything/path/matrix/{primitive}/{array}/{object}"),
    });
    expect(parametersStyle["GET /anything/path/{primitive}/{array}/{object}"]!.details).toEqual({});
    expect(parametersStyle["GET /cookies#formExploded"]).toEqual({
      path: "/cookies",
      details: spec("/cookies#formExploded"),
    });
  });
});

describe("the generated client", () => {
  it("gives each operation's details in its table, after the retry rule", async () => {
    const { api, document } = await specOf(corpusRoot, "pdf-blocks");
    expect(emitClientModule(apiModel(api, document))).toContain(
      `    addPasswordV1: ["post", "/v1/add_password", false, { parseAs: "blob", requestType: "multipart/form-data" }],`,
    );
  });

  it("types a `format: binary` field as a Blob", async () => {
    const { api, document } = await specOf(corpusRoot, "pdf-blocks");
    const types = await emitSchemaTypes(apiModel(api, document));
    expect(types).toMatch(/ {20}file: Blob;/);
    expect(types).not.toContain("$Read");
  });

  it("marks readOnly and writeOnly properties for the body types to leave out", async () => {
    const { api, document } = await specOf(corpusRoot, "schema-visibility");
    const types = await emitSchemaTypes(apiModel(api, document));
    expect(types).toMatch(/propWithReadOnly\?: \$Read<string>;/);
    expect(types).toMatch(/propWithWriteOnly\?: \$Write<string>;/);
  });
});

describe("the MSW handlers' answers", () => {
  /** The mock's answers of an operation documenting `responses` alone. */
  const answersOf = (responses: object) => {
    const document = {
      openapi: "3.1.0",
      info: { title: "Answers", version: "1.0.0" },
      paths: { "/things": { post: { operationId: "postThing", responses } } },
    } as unknown as OpenAPI3;
    const api = { id: "answers", specPath: "/repo/specs/answers.yaml", root: "/repo" } as Parameters<
      typeof apiModel
    >[0];
    return apiModel(api, document).operations[0]!.mock.responses;
  };

  // OpenAI's realtime call: a 201 of `application/sdp`, a string schema and no example.
  it("make up a text body to fit its schema where the media type gives no example, as Prism does", () => {
    const [created] = answersOf({
      "201": { description: "created", content: { "application/sdp": { schema: { type: "string" } } } },
    });
    expect(created).toMatchObject({ status: "201", mediaType: "application/sdp", examples: [] });
    expect(typeof created!.body).toBe("string");
  });

  it("answer a JSON success without example with the body Prism makes up where no sample fits", () => {
    // Plaid's ApplicationGetResponse: no seeded sample fitted, and the handlers answered no body at all.
    const unfit = {
      type: "object",
      required: ["code"],
      properties: { code: { type: "string", minLength: 3, maxLength: 2 } },
    };
    const [ok] = answersOf({ "200": { description: "ok", content: { "application/json": { schema: unfit } } } });
    expect(ok!.body).toEqual({ code: expect.any(String) });
  });
});
