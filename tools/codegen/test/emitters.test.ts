// biome-ignore-all lint/suspicious/noTemplateCurlyInString: spec text holds template holes, as written
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { emitters } from "../src/emitters.ts";
import { apiModel } from "../src/model.ts";

const core = { version: "9.9.9", dependencies: { "openapi-fetch": "0.17.0" }, peerDependencies: { msw: "^3.0.5" } };

const text = "Pipe | tick ` hole ${x} close */ \u2028globalThis.ran = 1";

/** One operation whose every text field holds `text`, as a vendor could write it. */
const document = {
  openapi: "3.1.0",
  info: { title: text, version: "1.0.0" },
  servers: [{ url: "https://api.example.com", description: text }],
  security: [{ key: [] }],
  paths: {
    "/things/{id}": {
      put: {
        operationId: "putThing",
        summary: text,
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" }, example: text }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { $ref: "#/components/schemas/Thing" },
              example: { [text]: text, kind: "a" },
            },
          },
        },
        responses: {
          "200": {
            description: text,
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/Thing" },
                examples: { [text]: { value: { [text]: text, kind: "a" } } },
              },
            },
          },
        },
      },
    },
  },
  components: {
    securitySchemes: { key: { type: "apiKey", in: "header", name: "X-Key" } },
    schemas: {
      Thing: {
        type: "object",
        required: [text],
        properties: { [text]: { type: "string" }, kind: { type: "string", enum: ["a", text] } },
      },
    },
  },
} as unknown as OpenAPI3;

const api = { id: "things", specPath: "/repo/specs/things.yaml", root: "/repo" } as Parameters<typeof apiModel>[0];
const model = apiModel(api, document);
const filesOf = async (name: string) => emitters.find((emitter) => emitter.name === name)!.files(model, { core });

describe("each emitter, from the model", () => {
  it("client: the summary in a doc comment it cannot close, the title in a string literal", async () => {
    const client = (await filesOf("client"))["src/generated/client.ts"]!;
    expect(client.split("\n").filter((line) => line.includes("Pipe"))).toMatchInlineSnapshot(`
      [
        " * A client of Pipe | tick \` hole \${x} close *\\/",
        "   * Pipe | tick \` hole \${x} close *\\/",
        " * A client for Pipe | tick \` hole \${x} close *\\/",
        "      title: "Pipe | tick \` hole \${x} close */ \\u2028globalThis.ran = 1",",
      ]
    `);
  });

  it("readme: the summary as one table cell, the title as text", async () => {
    const readme = (await filesOf("readme"))["README.md"]!;
    expect(readme.split("\n").find((line) => line.startsWith("| `client.putThing()`"))).toMatchInlineSnapshot(
      `"| \`client.putThing()\` | \`PUT /things/{id}\` | Pipe \\| tick \\\` hole \${x} close \\*/  globalThis.ran = 1 | yes: HTTP calls PUT idempotent |"`,
    );
    expect(readme.split("\n")[3]).toMatch(
      /^Typed client for \*\*Pipe \\\| tick \\` hole \$\{x\} close \\\*\/ {2}globalThis/,
    );
  });

  it("msw: the examples' names as string literal types, the data as an object literal of own keys", async () => {
    const files = await filesOf("msw");
    expect(files["src/msw.ts"]).toContain('examples: "Pipe | tick ` hole ${x} close */ \\u2028globalThis.ran = 1";');
    expect(files["src/generated/mock.ts"]).toContain('"Pipe | tick ` hole ${x} close */ \\u2028globalThis.ran = 1": ');
  });

  it("type tests: each misuse's directive on one line, whatever the field's name", async () => {
    const tests = (await filesOf("type tests"))["test/types.test-d.ts"]!;
    expect(tests.split("\n").filter((line) => line.includes("@ts-expect-error the required field"))).toEqual([
      '    // @ts-expect-error the required field "Pipe | tick ` hole ${x} close */ \\u2028globalThis.ran = 1" missing',
    ]);
  });

  it("type tests: a value of the wrong type only where the schema refuses it", async () => {
    const bodyOf = (schema: object) => ({
      requestBody: { required: true, content: { "application/json": { schema, example: { name: "Ada" } } } },
      responses: { "204": { description: "done" } },
    });
    // Box's metadata: a map whose values the schema leaves open, typed `unknown`, where `{ name: 42 }` compiles.
    const open = { type: "object", additionalProperties: { allOf: [{}, { example: "Ada" }] } };
    const typed = { type: "object", properties: { name: { type: "string" } } };
    const withBodies = {
      openapi: "3.0.3",
      info: { title: "Metadata", version: "1.0.0" },
      paths: { "/open": { post: bodyOf(open) }, "/typed": { post: bodyOf(typed) } },
    } as unknown as OpenAPI3;
    const [openCall, typedCall] = apiModel({ ...api, id: "metadata" }, withBodies).operations;
    expect(openCall!.wrongTypeExample).toBeUndefined();
    expect(typedCall!.wrongTypeExample).toEqual({ name: 42 });
  });

  it("type tests: an unknown field is a misuse only where the body's type names its keys", async () => {
    const bodyOf = (schema: object) => ({
      requestBody: { content: { "application/json": { schema, example: {} } } },
      responses: { "204": { description: "done" } },
    });
    const schemas = [
      { type: "object" }, // Plaid's CategoriesGetRequest: typed Record<string, unknown>
      { type: "object", properties: {} },
      { type: "object", additionalProperties: true },
      { type: "object", properties: { name: { type: "string" } } },
      { type: "object", additionalProperties: false },
      { allOf: [{ type: "object", properties: { name: { type: "string" } } }] },
    ];
    const withBodies = {
      openapi: "3.0.3",
      info: { title: "Bodies", version: "1.0.0" },
      paths: Object.fromEntries(schemas.map((schema, index) => [`/b${index}`, { post: bodyOf(schema) }])),
    } as unknown as OpenAPI3;
    const operations = apiModel({ ...api, id: "bodies" }, withBodies).operations;
    expect(operations.map((operation) => operation.declaresAdditionalKeys)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it("type tests: a body union spelled only where every body has a name, a response without one as undefined", async () => {
    const json = (schema: object) => ({ description: "body", content: { "application/json": { schema } } });
    const error = { $ref: "#/components/schemas/Error" };
    const withErrors = (responses: object) => ({
      get: { responses: { "204": { description: "done" }, ...responses } },
    });
    const document = {
      openapi: "3.0.3",
      info: { title: "Errors", version: "1.0.0" },
      paths: {
        "/named": withErrors({ "400": json(error), "404": { description: "none" } }),
        // Spotify's 401: a shared response whose schema is written inline beside a named 400
        "/inline": withErrors({ "400": json(error), "401": json({ type: "object", properties: { error } }) }),
        "/text": withErrors({ "400": json(error), "500": { description: "text", content: { "text/plain": {} } } }),
      },
      components: { schemas: { Error: { type: "object", properties: { message: { type: "string" } } } } },
    } as unknown as OpenAPI3;
    const operations = apiModel({ ...api, id: "errors" }, document).operations;
    expect(operations.map(({ successSchemas, errorSchemas }) => ({ successSchemas, errorSchemas }))).toEqual([
      { successSchemas: [undefined], errorSchemas: ["Error", undefined] },
      { successSchemas: [undefined], errorSchemas: [] },
      { successSchemas: [undefined], errorSchemas: [] },
    ]);
  });

  it("tests: the README's example compiled as it is shown", async () => {
    const [tests, readme] = await Promise.all([filesOf("tests"), filesOf("readme")]);
    const example = tests["test/readme-example.ts"]!.split("\n").slice(2).join("\n");
    expect(readme["README.md"]).toContain(example);
  });

  it("package and surface: JSON of the spec's values", async () => {
    const { "package.json": manifest } = await filesOf("package");
    expect(JSON.parse(manifest!).description).toBe(`Typed client for ${text}, generated from its OpenAPI spec.`);
    const { "src/generated/surface.json": surface } = await filesOf("surface");
    expect(JSON.parse(surface!).operations[0].method).toBe("putThing");
  });
});

describe("the emitters", () => {
  const emitDir = fileURLToPath(new URL("../src/emit/", import.meta.url));

  it("import no other emitter, and only the compilers' read the document whole", async () => {
    const files = (await readdir(emitDir)).filter((file) => file.endsWith(".ts"));
    for (const file of files) {
      const source = await readFile(path.join(emitDir, file), "utf8");
      const imports = ts
        .createSourceFile(file, source, ts.ScriptTarget.Latest)
        .statements.filter(ts.isImportDeclaration)
        .map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text);
      expect(
        imports.filter((specifier) => specifier.startsWith("./")),
        `${file} imports another emitter`,
      ).toEqual([]);
      // openapi-typescript (schema.ts) and Ajv (the validators) compile the spec's schemas themselves.
      if (!["schema.ts", "validators.ts", "msw.ts"].includes(file))
        expect(source, `${file} reads the raw document`).not.toMatch(/\.document\b/);
    }
    expect(new Set(emitters.map((emitter) => emitter.name)).size).toBe(emitters.length);
  });
});
