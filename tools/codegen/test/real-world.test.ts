import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SpecError } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { emitRequestValidatorsModule } from "../src/emit/msw.ts";
import { emitValidatorsModule } from "../src/emit/validators.ts";
import { type ApiModel, apiModel } from "../src/model.ts";

// What published specs write, through the model and the precompiled validators: before, each of
// these stopped generation with Ajv's stack (3.0's boolean exclusiveMinimum and nullable in a 3.1
// spec, a pattern only valid without the `u` flag) or never let it finish (an int64's bounds in a
// response without an example, whose mock body is made up).

const document = {
  openapi: "3.1.0",
  info: { title: "Real world", version: "1.0.0" },
  servers: [{ url: "https://api.example.com" }],
  paths: {
    "/things/{id}": {
      get: {
        operationId: "getThing",
        parameters: [{ name: "id", in: "path", required: true, schema: { $ref: "#/components/schemas/Tag" } }],
        responses: {
          "200": {
            description: "The thing",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Tag: { type: "string", pattern: "^[a-z0-9_\\-\\:]+$" },
      Thing: {
        type: "object",
        required: ["id", "weight"],
        properties: {
          id: { type: "integer", format: "int64", minimum: -9.223372036854776e18, maximum: 9.223372036854776e18 },
          weight: { type: "number", minimum: 0, exclusiveMinimum: true },
          note: { type: "string", nullable: true },
          tag: { nullable: true, allOf: [{ $ref: "#/components/schemas/Tag" }] },
          snowflake: { type: "string", format: "snowflake" },
        },
      },
    },
  },
} as unknown as OpenAPI3;

let folder: string;
let model: ApiModel;
let warnings: string[];
const api = () => ({ id: "things", specPath: path.join(folder, "specs", "things.yaml"), root: folder });

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), "codegen-real-world-"));
  await mkdir(path.join(folder, "specs"));
  await writeFile(api().specPath, stringify(document));
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    model = apiModel(api(), document);
    warnings = warn.mock.calls.map((call) => String(call[0]));
  } finally {
    warn.mockRestore();
  }
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** A generated validators module, imported as the client imports it. */
async function imported(name: string, code: string) {
  const file = path.join(folder, `${name}.mjs`);
  await writeFile(file, code);
  return import(pathToFileURL(file).href);
}

describe("a spec as published", () => {
  it("gets a model, its made-up body fitting the schema as read (int64 within safe integers, weight above 0)", () => {
    const [answer] = model.operations[0]!.mock.responses;
    const body = answer!.body as { id: number; weight: number };
    expect(Number.isSafeInteger(body.id)).toBe(true);
    expect(body.weight).toBeGreaterThan(0);
  });

  it("says where it guessed, by file:line, when generating", () => {
    expect(warnings[0]).toMatch(/^Warning: things \(specs\/things\.yaml\): 3 schema places read by a guess/);
    expect(warnings.slice(1)).toEqual([
      expect.stringMatching(
        /^ {2}specs\/things\.yaml:\d+ \(#\/components\/schemas\/Thing\/properties\/weight\): `exclusiveMinimum: true`/,
      ),
      expect.stringMatching(
        /^ {2}specs\/things\.yaml:\d+ \(#\/components\/schemas\/Thing\/properties\/note\): `nullable` is OpenAPI 3\.0's keyword/,
      ),
      expect.stringMatching(
        /^ {2}specs\/things\.yaml:\d+ \(#\/components\/schemas\/Thing\/properties\/tag\): `nullable: true` without `type`/,
      ),
    ]);
  });

  it("precompiles response validators that read it so: null where nullable, exclusive bounds, the pattern without u", async () => {
    const { violationsOf } = await imported("validators", await emitValidatorsModule(model));
    const check = (body: unknown) => violationsOf("GET", "/things/{id}", 200, body);
    expect(check({ id: 1, weight: 0.5, note: null, tag: null, snowflake: "1" })).toEqual([]);
    expect(check({ id: 1, weight: 0.5, tag: "a:b-c" })).toEqual([]);
    expect(check({ id: 1, weight: 0 })).toEqual([{ pointer: "/weight", message: "must be > 0" }]);
    expect(check({ id: 1, weight: 1, tag: "a b" })).toContainEqual({
      pointer: "/tag",
      message: 'must match pattern "^[a-z0-9_\\-:]+$"',
    });
  });

  it("precompiles the mocks' request checks with the pattern read the same way", async () => {
    const { requestViolationsOf } = await imported("request-validators", await emitRequestValidatorsModule(model));
    expect(requestViolationsOf("get", "/things/{id}", "path", { id: "a:b" })).toEqual([]);
    expect(requestViolationsOf("get", "/things/{id}", "path", { id: "a b" })).toHaveLength(1);
  });

  it("refuses a schema Ajv cannot compile with a SpecError naming the API, the place and the fix", () => {
    const broken = structuredClone(document) as unknown as { components: { schemas: Record<string, unknown> } };
    // Redocly's lint refuses an unresolved $ref first; this is the net under it.
    broken.components.schemas.Thing = {
      type: "object",
      properties: { part: { $ref: "#/components/schemas/Missing" } },
    };
    const refusal = (() => {
      try {
        apiModel(api(), broken as unknown as OpenAPI3);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(SpecError);
    expect((refusal as SpecError).message).toMatch(/^Spec of API "things" \(specs\/things\.yaml\) is invalid/);
    expect((refusal as SpecError).problems[0]).toMatch(
      /^specs\/things\.yaml#\/components\/schemas\/Thing: the schema cannot be compiled \(can't resolve reference .*Missing.*\); fix it there/,
    );
  });
});

describe("the example call of a spec whose request examples break their schemas", () => {
  /** One POST per request schema, each with the vendor's example. */
  const withRequests = (requests: Record<string, { schema: object; example: unknown }>) =>
    ({
      openapi: "3.1.0",
      info: { title: "Calls", version: "1.0.0" },
      servers: [{ url: "https://api.example.com" }],
      paths: Object.fromEntries(
        Object.entries(requests).map(([name, { schema, example }]) => [
          `/${name}`,
          {
            post: {
              operationId: name,
              requestBody: { required: true, content: { "application/json": { schema, example } } },
              responses: { "204": { description: "Done" } },
            },
          },
        ]),
      ),
    }) as unknown as OpenAPI3;
  const call = {
    type: "object",
    required: ["To"],
    properties: { To: { type: "string" }, Record: { type: "boolean" } },
  };
  const examplesOf = (document: OpenAPI3) =>
    Object.fromEntries(
      apiModel(api(), document).operations.map((operation) => [operation.name, operation.requestExample]),
    );

  it("leaves out the keys a closed schema does not name, which TypeScript refuses in a literal", () => {
    const examples = examplesOf(
      withRequests({
        closed: { schema: call, example: { To: "+15558675310", PlayBeep: true } },
        open: { schema: { ...call, additionalProperties: true }, example: { To: "+15558675310", PlayBeep: true } },
      }),
    );
    expect(examples.closed).toEqual({ To: "+15558675310" });
    expect(examples.open).toEqual({ To: "+15558675310", PlayBeep: true });
  });

  it("takes a sample that fits where the example breaks the schema (text for a boolean)", () => {
    const { textForBoolean } = examplesOf(
      withRequests({ textForBoolean: { schema: call, example: { To: "+15558675310", Record: "true" } } }),
    );
    expect(textForBoolean).toMatchObject({ To: expect.any(String) });
    expect(Object.keys(textForBoolean as object).every((key) => ["To", "Record"].includes(key))).toBe(true);
    expect(["boolean", "undefined"]).toContain(typeof (textForBoolean as { Record?: unknown }).Record);
  });
});
