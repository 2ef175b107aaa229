import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { hostileRoot } from "@contracts/fixtures";
import { lintSpec, listApis } from "@contracts/spec";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPackageDir } from "../src/index.ts";
import { removeScratchRepos, scratchRepo } from "./scratch.ts";
import { tsFilesOf, typecheckGenerated } from "./typecheck.ts";

/**
 * Spec text (titles, descriptions, summaries, names, enum values, examples) must never become code
 * in a generated client, nor break its README. Every payload of the hostile fixture, and every
 * fragment of the property test, sets this global should it ever run.
 */
const payload = "__specTextRan";
const ran = () => (globalThis as Record<string, unknown>)[payload];

/**
 * Where `name` is an identifier in code (not in a comment or a string) in a TypeScript file, as
 * `file:line:col` and the line: spec text that escaped its comment or string literal. The parser
 * recovers from syntax errors, so a payload after a closed comment is found even when the rest of
 * the file no longer parses. It treats U+2028 and U+2029 as line ends, as JavaScript does.
 */
function identifiersInCode(file: string, text: string, name: string, root: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) {
      const start = node.getStart(source);
      const { line, character } = source.getLineAndCharacterOfPosition(start);
      const lineText = text.slice(source.getPositionOfLineAndCharacter(line, 0)).split(/\r?\n|\u2028|\u2029/)[0];
      found.push(`${path.relative(root, file)}:${line + 1}:${character + 1} ${lineText!.trim().slice(0, 160)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

async function payloadsInCode(root: string, files: string[]): Promise<string[]> {
  const found = await Promise.all(
    files.map(async (file) => identifiersInCode(file, await readFile(file, "utf8"), payload, root)),
  );
  return found.flat();
}

/**
 * A line with code spans and backslash escapes taken out (CommonMark's inline rules: a run of n
 * backticks opens a span the next run of exactly n closes; `\` escapes ASCII punctuation): what
 * Markdown reads as markup.
 */
function outsideCodeSpans(line: string): string {
  let markup = "";
  for (let index = 0; index < line.length; ) {
    if (line[index] === "\\" && /[!-/:-@[-`{-~]/.test(line[index + 1] ?? "")) {
      index += 2;
      continue;
    }
    if (line[index] === "`") {
      const run = /^`+/.exec(line.slice(index))![0];
      const closing = new RegExp(`(?<!\`)${run}(?!\`)`, "g");
      closing.lastIndex = index + run.length;
      const close = closing.exec(line);
      if (close) {
        index = close.index + run.length;
        continue;
      }
      markup += run;
      index += run.length;
      continue;
    }
    markup += line[index];
    index += 1;
  }
  return markup;
}

/**
 * The cells of a GFM table row: split on every `|` not escaped as `\|` (the table is split before any
 * inline parsing, so a code span does not protect a pipe: GFM's "include a pipe in a cell's content by
 * escaping it, including inside other inline spans"), without the optional leading and trailing pipe.
 */
function tableCells(row: string): string[] {
  let content = row.trim();
  if (content.startsWith("|")) content = content.slice(1);
  if (content.endsWith("|") && !content.endsWith("\\|")) content = content.slice(0, -1);
  return content.split(/(?<!\\)\|/);
}

const delimiterRow = /^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const fenceLine = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Where a README's structure is not the generator's, read by GFM's rules: a table row whose cells differ
 * in number from its header's (a pipe or a line end of spec text splits a cell or a row), a code block
 * without a language or never closed (the generator labels and closes each of its blocks, so a bare
 * fence is spec text opening one), and an HTML comment opened outside code after the first line (the
 * do-not-edit note), which would hide the rest of the page.
 */
function markdownProblems(markdown: string): string[] {
  const lines = markdown.split("\n");
  const problems: string[] = [];
  let fence: { char: string; length: number; line: number } | undefined;
  let table: { cells: number; line: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const where = `README.md:${index + 1}`;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    const open = fenceLine.exec(line);
    if (open && !(open[1]!.startsWith("`") && open[2]!.includes("`"))) {
      table = undefined;
      fence = { char: open[1]![0]!, length: open[1]!.length, line: index + 1 };
      if (open[2]!.trim() === "") problems.push(`${where}: a code block opens without a language: ${line}`);
      continue;
    }
    if (index > 0 && outsideCodeSpans(line).includes("<!--"))
      problems.push(`${where}: an HTML comment opens outside code: ${line}`);
    if (line.trim() === "") {
      table = undefined;
      continue;
    }
    if (table) {
      const cells = tableCells(line).length;
      if (cells !== table.cells)
        problems.push(
          `${where}: ${cells} cells in a row of the table at line ${table.line}, whose header has ${table.cells}: ${line}`,
        );
      continue;
    }
    const next = lines[index + 1];
    if (line.includes("|") && next?.includes("|") && delimiterRow.test(next)) {
      table = { cells: tableCells(line).length, line: index + 1 };
      const delimiters = tableCells(next).length;
      if (delimiters !== table.cells)
        problems.push(
          `${where}: a table header of ${table.cells} cells over a delimiter row of ${delimiters}: ${line}`,
        );
      index += 1;
    }
  }
  if (fence) problems.push(`README.md:${fence.line}: a code block opens and never closes`);
  return problems;
}

/**
 * What went wrong importing the package's entries as its users and its tests do (its index, its `./msw`
 * entry and the response validators the client loads on demand), which must run nothing: an import
 * that throws, spec text that ran (set the global), a `createClient` missing.
 */
async function importProblems(root: string, id: string): Promise<string[]> {
  delete (globalThis as Record<string, unknown>)[payload];
  const dir = clientPackageDir({ id, root });
  const problems: string[] = [];
  const load = async (file: string) =>
    import(path.join(dir, file)).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      problems.push(`${id}: importing ${file} threw ${stripVTControlCharacters(message)}`);
      return {};
    });
  const index = (await load(path.join("src", "index.ts"))) as { createClient?: unknown };
  await load(path.join("src", "msw.ts"));
  await load(path.join("src", "generated", "validators.ts"));
  if (ran() !== undefined) problems.push(`${id}: spec text ran on import: globalThis.${payload} is ${String(ran())}`);
  if (typeof index.createClient !== "function") problems.push(`${id}: createClient is not a function`);
  return problems;
}

afterAll(removeScratchRepos);

describe("the hostile fixture", () => {
  it("is a valid spec: Redocly finds no problem with its registry's rules, so every example fits its schema", async () => {
    const [api] = await listApis(hostileRoot);
    expect((await lintSpec(api!)).map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
  });
});

describe("spec text in a generated client", () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = await scratchRepo(hostileRoot);
    dir = clientPackageDir({ id: "hostile", root });
  });

  it("compiles: every .ts file of the package, src and test, without a diagnostic", async () => {
    expect(typecheckGenerated(root, await tsFilesOf(dir))).toEqual([]);
  });

  it("runs nothing when the package is imported, and the client is there", async () => {
    expect(await importProblems(root, "hostile")).toEqual([]);
  });

  it("stays in its comments and strings: no payload is an identifier in code in any generated .ts file", async () => {
    expect(await payloadsInCode(root, await tsFilesOf(dir))).toEqual([]);
  });

  it("keeps the README's structure: table rows as wide as their header, code blocks and HTML comments only where the generator puts them", async () => {
    expect(markdownProblems(await readFile(path.join(dir, "README.md"), "utf8"))).toEqual([]);
  });
});

/** The fragments that break out of a comment, a string, a template, a Markdown table or code block. */
const fragments = [
  "*/",
  "/*",
  "${",
  "}",
  "`",
  '"',
  "'",
  "|",
  "\\",
  "\n",
  "\u2028",
  "\u2029",
  "<!--",
  "-->",
  "```",
  `globalThis.${payload}=1;`,
];

/** Text mixing arbitrary strings (printable ASCII, any grapheme, any code point) with the fragments; never blank. */
const hostileText = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...fragments), weight: 6 },
      { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
      { arbitrary: fc.string({ unit: "grapheme", maxLength: 4 }), weight: 1 },
      { arbitrary: fc.string({ unit: "binary", maxLength: 3 }), weight: 1 },
    ),
    { minLength: 2, maxLength: 10 },
  )
  .map((parts) => parts.join(""))
  .filter((text) => text.trim() !== "");

const specTexts = fc.record({
  title: hostileText,
  description: hostileText,
  license: hostileText,
  serverDescription: hostileText,
  tag: hostileText,
  tagDescription: hostileText,
  summary: hostileText,
  operationDescription: hostileText,
  pathParameterDescription: hostileText,
  queryParameterDescription: hostileText,
  requestBodyDescription: hostileText,
  responseDescription: hostileText,
  errorDescription: hostileText,
  schemeDescription: hostileText,
  schemaDescription: hostileText,
  propertyDescription: hostileText,
  enum: fc.uniqueArray(hostileText, { minLength: 1, maxLength: 4 }),
  properties: fc.uniqueArray(hostileText, { minLength: 3, maxLength: 3 }),
  pathExample: hostileText,
  bodyExample: hostileText,
  responseExample: hostileText,
  errorExample: hostileText,
  exampleName: hostileText,
});

type SpecTexts = typeof specTexts extends fc.Arbitrary<infer T> ? T : never;

/**
 * A small valid 3.1 spec with the texts in every field where text goes (never in an operationId, a path
 * or a component name, which name code): one operation with a path and a query parameter, a JSON body
 * and a 4xx, an enum, three properties by the texts' names, a tag, a server and an API key.
 */
function specOf(texts: SpecTexts): object {
  const [named, other, kind] = texts.properties as [string, string, string];
  const value = (text: string, mode: string) => ({ [named]: text, [kind]: mode });
  const json = (schema: string, example: object) => ({
    "application/json": { schema: { $ref: `#/components/schemas/${schema}` }, example },
  });
  return {
    openapi: "3.1.0",
    info: {
      title: texts.title,
      version: "1.0.0",
      description: texts.description,
      license: { name: texts.license, url: "https://opensource.org/license/mit" },
    },
    servers: [{ url: "https://api.acme.test/v1", description: texts.serverDescription }],
    security: [{ apiKey: [] }],
    tags: [{ name: texts.tag, description: texts.tagDescription }],
    paths: {
      "/things/{thingId}": {
        put: {
          operationId: "putThing",
          summary: texts.summary,
          description: texts.operationDescription,
          tags: [texts.tag],
          parameters: [
            {
              name: "thingId",
              in: "path",
              required: true,
              description: texts.pathParameterDescription,
              schema: { type: "string" },
              example: texts.pathExample,
            },
            {
              name: "mode",
              in: "query",
              required: true,
              description: texts.queryParameterDescription,
              schema: { $ref: "#/components/schemas/Mode" },
              example: texts.enum[0],
            },
          ],
          requestBody: {
            description: texts.requestBodyDescription,
            required: true,
            content: json("Thing", value(texts.bodyExample, texts.enum.at(-1)!)),
          },
          responses: {
            "200": {
              description: texts.responseDescription,
              content: {
                "application/json": {
                  schema: { $ref: "#/components/schemas/Thing" },
                  examples: {
                    [texts.exampleName]: { value: value(texts.responseExample, texts.enum[0]!) },
                  },
                },
              },
            },
            "400": {
              description: texts.errorDescription,
              content: json("Problem", { message: texts.errorExample }),
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "X-Api-Key", description: texts.schemeDescription },
      },
      schemas: {
        Mode: { type: "string", description: texts.schemaDescription, enum: texts.enum },
        Thing: {
          type: "object",
          description: texts.schemaDescription,
          required: [named, kind],
          properties: {
            [named]: { type: "string", description: texts.propertyDescription },
            [other]: { type: "string" },
            [kind]: { $ref: "#/components/schemas/Mode" },
          },
        },
        Problem: {
          type: "object",
          required: ["message"],
          properties: { message: { type: "string", description: texts.propertyDescription } },
        },
      },
    },
  };
}

/**
 * The registry of the generated specs: Redocly's recommended rules (none breaks for text outside
 * operationIds, paths and component names), with examples held to their schemas as errors, so a
 * template that made an invalid example fails generation instead of passing with a warning.
 */
const registryRules = `extends:
  - recommended
rules:
  no-invalid-media-type-examples:
    severity: error
    allowAdditionalProperties: false
  no-invalid-parameter-examples: error
`;

const runs = 8;
const seed = 20_240_611;

describe("arbitrary spec text (property test)", () => {
  let registry: string;
  afterAll(async () => {
    if (registry) await rm(registry, { recursive: true, force: true });
  });

  it(`never becomes code: ${runs} specs of arbitrary text compile as one program and import running nothing`, async () => {
    const samples = fc.sample(specTexts, { seed, numRuns: runs });
    registry = await mkdtemp(path.join(tmpdir(), "codegen-spec-text-"));
    await mkdir(path.join(registry, "specs"));
    const ids = samples.map((_texts, index) => `arbitrary${index}`);
    await Promise.all(
      samples.map((texts, index) =>
        writeFile(path.join(registry, "specs", `${ids[index]}.json`), `${JSON.stringify(specOf(texts), null, 2)}\n`),
      ),
    );
    const apis = ids.map((id) => `  ${id}:\n    root: specs/${id}.json\n`).join("");
    await writeFile(path.join(registry, "redocly.yaml"), `apis:\n${apis}${registryRules}`);
    const root = await scratchRepo(registry);
    const files = (await Promise.all(ids.map((id) => tsFilesOf(clientPackageDir({ id, root }))))).flat();

    // Each sample's texts beside what was found in its package, so a failure names its input.
    const inputOf = (id: string) => JSON.stringify(samples[ids.indexOf(id)]);
    const lint = await Promise.all(
      (await listApis(root)).map(async (api) =>
        (await lintSpec(api)).map(
          (problem) => `${api.id}: lint ${problem.ruleId} ${problem.pointer} ${problem.message}`,
        ),
      ),
    );
    const found: string[] = [
      ...lint.flat(),
      ...typecheckGenerated(root, files),
      ...(await payloadsInCode(root, files)).map((where) => `payload in code: ${where}`),
    ];
    for (const id of ids) {
      const readme = await readFile(path.join(clientPackageDir({ id, root }), "README.md"), "utf8");
      found.push(...markdownProblems(readme).map((problem) => `packages/clients/${id}/${problem}`));
    }
    for (const id of ids) found.push(...(await importProblems(root, id)));
    const inputs = ids
      .filter((id) => found.some((line) => line.includes(`/${id}/`) || line.startsWith(`${id}:`)))
      .map((id) => `${id}: ${inputOf(id)}`);
    expect({ found, inputs }).toEqual({ found: [], inputs: [] });
  });
});
