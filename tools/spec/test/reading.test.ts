import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SpecError } from "../src/apis.ts";
import { patternRegExp, readingWarnings, readKeyword, specReading, unicodePattern } from "../src/reading.ts";
import { directional, ownDocument, specValidator } from "../src/validator.ts";

// Each reading of what published specs write, on a tiny spec: before it, Ajv threw on each of these
// (`exclusiveMinimum value must be ["number"]`, `"nullable" cannot be used without "type"`, `Invalid
// regular expression: ... Invalid escape`) and no tool could use the spec.

/** A spec of one schema `X` (and a string `S` to refer to), in an OpenAPI version. */
const specOf = (schema: unknown, openapi = "3.1.0", more: Record<string, unknown> = {}) =>
  ({
    openapi,
    info: { title: "Reading", version: "1.0.0" },
    paths: {},
    components: { schemas: { X: schema, S: { type: "string" }, ...more } },
  }) as unknown as OpenAPI3;

/** Whether the schema `X` accepts each value, and what was noted of it. */
function verdicts(document: OpenAPI3, values: unknown[]) {
  const validate = specValidator(document);
  return {
    accepted: values.filter((value) => validate("/components/schemas/X", value).length === 0),
    notes: specReading(document).notes.map(({ pointer, kind }) => `${pointer} ${kind}`),
  };
}

describe("OpenAPI 3.0's keywords", () => {
  it("a boolean exclusiveMinimum in a 3.1 spec makes its minimum exclusive, as 3.0 and Prism read it, and is noted", () => {
    const schema = { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: false };
    expect(verdicts(specOf(schema), [0, 0.5, 1, 1.5])).toEqual({
      accepted: [0.5, 1],
      notes: [
        "/components/schemas/X boolean exclusive bound (3.0) in 3.1",
        "/components/schemas/X boolean exclusive bound (3.0) in 3.1",
      ],
    });
    // In a 3.0 spec it is the spec's own form: nothing to note.
    expect(verdicts(specOf(schema, "3.0.3"), [0, 0.5, 1])).toEqual({ accepted: [0.5, 1], notes: [] });
  });

  it("nullable beside a type adds null (an enum's too), in 3.0 as in a 3.1 spec, where it is noted", () => {
    const schema = { type: "string", enum: ["a"], nullable: true };
    expect(verdicts(specOf(schema, "3.0.3"), [null, "a", "b"])).toEqual({ accepted: [null, "a"], notes: [] });
    expect(verdicts(specOf(schema), [null, "a", "b"])).toEqual({
      accepted: [null, "a"],
      notes: ["/components/schemas/X nullable (3.0) in 3.1"],
    });
  });

  it("nullable without a type is null or the schema, as openapi-typescript types it, and noted", () => {
    // 3.0's idiom for a nullable reference.
    const schema = { nullable: true, allOf: [{ $ref: "#/components/schemas/S" }] };
    expect(verdicts(specOf(schema, "3.0.3"), [null, "s", 1])).toEqual({
      accepted: [null, "s"],
      notes: ["/components/schemas/X nullable without type"],
    });
  });

  it("a $ref into a schema wrapped for its nullable still reaches the schema it named", () => {
    const document = specOf({ $ref: "#/components/schemas/N/properties/p" }, "3.0.3", {
      N: { nullable: true, properties: { p: { type: "string" } } },
    });
    expect(verdicts(document, ["s", 1]).accepted).toEqual(["s"]);
    expect(specReading(document).pointerOf("/components/schemas/N/properties/p")).toBe(
      "/components/schemas/N/else/properties/p",
    );
  });

  it("nullable beside a $ref is ignored, as openapi-typescript and Prism ignore it, and noted", () => {
    expect(verdicts(specOf({ $ref: "#/components/schemas/S", nullable: true }), [null, "s"])).toEqual({
      accepted: ["s"],
      notes: ["/components/schemas/X nullable beside $ref"],
    });
  });

  it("a readOnly property keeps its direction when its nullable wraps it", () => {
    const document = specOf(
      { type: "object", required: ["id"], properties: { id: { readOnly: true, nullable: true, enum: ["a"] } } },
      "3.0.3",
    );
    expect(specValidator(directional(document, "request"))("/components/schemas/X", {})).toEqual([]);
    expect(specValidator(document, "request")("/components/schemas/X", { id: null })).toEqual([
      "/id is read-only: the server sets it, a request must not send it",
    ]);
  });
});

describe("patterns", () => {
  it("a pattern valid only without the u flag is read as ECMAScript reads it without", () => {
    const document = specOf({ type: "string", pattern: "^[a-zA-Z0-9_\\-\\:]+$" });
    expect(verdicts(document, ["a:b-c_d", "a b", "a/b"])).toEqual({ accepted: ["a:b-c_d"], notes: [] });
  });

  it("writes Annex B's literal characters as such, and gives up on what is no expression", () => {
    expect(unicodePattern("^[a-z]+$")).toBe("^[a-z]+$");
    expect(unicodePattern("^\\:\\-x\\_$")).toBe("^:-x_$");
    expect(unicodePattern("^[\\-\\:]$")).toBe("^[\\-:]$");
    expect(unicodePattern("^a{$")).toBe("^a\\{$");
    expect(unicodePattern("^a{2}b]$")).toBe("^a{2}b\\]$");
    expect(unicodePattern("^(a$")).toBeUndefined();
    expect(patternRegExp("^\\:a$")?.test(":a")).toBe(true);
  });

  it("a pattern that is no regular expression at all is not checked, and noted", () => {
    expect(verdicts(specOf({ type: "string", pattern: "^(a$" }), ["x"])).toEqual({
      accepted: ["x"],
      notes: ["/components/schemas/X pattern"],
    });
  });

  it("reads a patternProperties key as it reads a pattern", () => {
    const document = specOf({ type: "object", patternProperties: { "^\\:": { type: "string" } } });
    expect(verdicts(document, [{ ":a": "s" }, { ":a": 1 }, { a: 1 }]).accepted).toEqual([{ ":a": "s" }, { a: 1 }]);
  });
});

describe("other real-world schemas", () => {
  it("a format Ajv does not know is not checked, and not noted: OpenAPI leaves formats open", () => {
    expect(verdicts(specOf({ type: "string", format: "snowflake" }), ["1", 1])).toEqual({
      accepted: ["1"],
      notes: [],
    });
  });

  it("the siblings of a $ref are ignored in a 3.0 spec (noted where they constrain) and apply in 3.1", () => {
    const schema = { $ref: "#/components/schemas/S", maxLength: 1, description: "a name" };
    expect(verdicts(specOf(schema, "3.0.3"), ["ab"])).toEqual({
      accepted: ["ab"],
      notes: ["/components/schemas/X siblings of a $ref in 3.0"],
    });
    expect(verdicts(specOf(schema), ["a", "ab"])).toEqual({ accepted: ["a"], notes: [] });
  });

  it("values of the wrong type are not read, each noted: required: true, type: file, enum: [], a list of items", () => {
    const schema = {
      type: "object",
      properties: {
        a: { type: "string", required: true },
        file: { type: "file" },
        none: { enum: [] },
        pair: { type: "array", items: [{ type: "string" }, { type: "integer" }] },
        short: { type: "string", minLength: "3" },
      },
    };
    const { accepted, notes } = verdicts(specOf(schema), [{ file: "x", none: 1, short: "s" }, { pair: ["a", "b"] }]);
    expect(accepted).toEqual([{ file: "x", none: 1, short: "s" }]);
    expect(notes).toEqual([
      "/components/schemas/X/properties/a keyword value",
      "/components/schemas/X/properties/file type name",
      "/components/schemas/X/properties/none keyword value",
      "/components/schemas/X/properties/pair items as a list",
      "/components/schemas/X/properties/short keyword value",
    ]);
  });

  it("readKeyword gives a keyword's value as read: none for one of the wrong type, as the validators read it", () => {
    expect(readKeyword({ enum: [] }, "enum")).toBeUndefined();
    expect(readKeyword({ minLength: "3" }, "minLength")).toBeUndefined();
    expect(readKeyword({ enum: ["a"] }, "enum")).toEqual(["a"]);
    expect(readKeyword({ description: 3 }, "description")).toBe(3);
  });

  it("leaves the spec's own document as it was: the reading is a copy, sharing what it did not change", () => {
    const document = specOf({ type: "number", minimum: 0, exclusiveMinimum: true }, "3.1.0", {
      T: { type: "string" },
    });
    const before = structuredClone(document);
    const read = specReading(document).document as unknown as typeof before;
    expect(document).toEqual(before);
    expect(read.components!.schemas!.X).toEqual({ type: "number", exclusiveMinimum: 0 });
    expect(read.components!.schemas!.T).toBe(document.components!.schemas!.T);
  });

  it("does not take a parameter named `schema`, or an example, for a schema", () => {
    const document = {
      ...specOf({ type: "string" }),
      paths: {
        "/x": {
          get: {
            parameters: [{ $ref: "#/components/parameters/schema" }],
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { example: { nullable: true, minLength: "1" } } },
              },
            },
          },
        },
      },
    } as unknown as OpenAPI3;
    (document.components as Record<string, unknown>).parameters = {
      schema: { name: "schema", in: "query", required: true, schema: { type: "string" } },
    };
    expect(specReading(document).notes).toEqual([]);
    expect(specReading(document).document).toBe(document);
  });
});

describe("a schema Ajv cannot compile", () => {
  it("is refused with a SpecError naming the API, the file, the place and the fix, never Ajv's stack", () => {
    const document = specOf({ $ref: "#/components/schemas/Missing" });
    const api = { id: "broken", specPath: "/repo/specs/broken.yaml", root: "/repo" };
    ownDocument(document, api);
    const validate = specValidator(document, "response");
    const refusal = (() => {
      try {
        validate("/components/schemas/X", "x");
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(SpecError);
    expect((refusal as SpecError).problems).toEqual([
      expect.stringMatching(
        /^specs\/broken\.yaml#\/components\/schemas\/X: the schema cannot be compiled \(can't resolve reference .*Missing.*\); fix it there/,
      ),
    ]);
  });
});

describe("readingWarnings", () => {
  const folders: string[] = [];
  afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

  it("names each guessed place by file:line, a few per kind, and how many more", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "reading-"));
    folders.push(root);
    const bounded = (name: string) => [
      `        ${name}:`,
      "          type: integer",
      "          minimum: 0",
      "          exclusiveMinimum: true",
    ];
    const text = [
      "openapi: 3.1.0",
      "info: { title: Big, version: 1.0.0 }",
      "paths: {}",
      "components:",
      "  schemas:",
      "    X:",
      "      type: object",
      "      properties:",
      ...["a", "b", "c", "d", "e"].flatMap(bounded),
      "        any:",
      "          nullable: true",
    ].join("\n");
    const specPath = path.join(root, "specs", "big.yaml");
    await mkdir(path.dirname(specPath), { recursive: true });
    await writeFile(specPath, text);
    const lines = readingWarnings({ id: "big", specPath, root }, parse(text) as OpenAPI3);
    expect(lines).toEqual([
      "Warning: big (specs/big.yaml): 6 schema places read by a guess; the validators, mocks and samples read them as said, and the spec can say so outright:",
      "  specs/big.yaml:9 (#/components/schemas/X/properties/a): `exclusiveMinimum: true` is OpenAPI 3.0's form in a 3.1 spec: read as 3.0 reads it (as Prism does), `minimum` exclusive; write `exclusiveMinimum: <number>` instead of `minimum`",
      expect.stringMatching(/^ {2}specs\/big\.yaml:13 \(#\/components\/schemas\/X\/properties\/b\): /),
      expect.stringMatching(/^ {2}specs\/big\.yaml:17 \(#\/components\/schemas\/X\/properties\/c\): /),
      "  ... and 2 more (boolean exclusive bound (3.0) in 3.1)",
      expect.stringMatching(
        /^ {2}specs\/big\.yaml:29 \(#\/components\/schemas\/X\/properties\/any\): `nullable: true` without `type`/,
      ),
    ]);
    expect(readingWarnings({ id: "small", specPath, root }, specOf({ type: "string" }))).toEqual([]);
  });

  it("names the line in a JSON spec too, through a $ref into another JSON file", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "reading-"));
    folders.push(root);
    const schemas = { X: { type: "object", properties: { any: { nullable: true } } } };
    const spec = {
      openapi: "3.1.0",
      info: { title: "Json", version: "1.0.0" },
      paths: {},
      components: { schemas: { X: { $ref: "schemas.json#/X" } } },
    };
    const schemasText = JSON.stringify(schemas, null, 2);
    await mkdir(path.join(root, "specs"), { recursive: true });
    await writeFile(path.join(root, "specs", "schemas.json"), schemasText);
    const specPath = path.join(root, "specs", "json.json");
    await writeFile(specPath, JSON.stringify(spec, null, 2));
    const bundled = { ...spec, components: { schemas } } as unknown as OpenAPI3;
    const line = schemasText.split("\n").findIndex((text) => text.includes('"any"')) + 1;
    expect(readingWarnings({ id: "json", specPath, root }, bundled)[1]).toMatch(
      new RegExp(
        `^ {2}specs/schemas\\.json:${line} \\(#/components/schemas/X/properties/any\\): \`nullable: true\` without \`type\``,
      ),
    );
  });
});
