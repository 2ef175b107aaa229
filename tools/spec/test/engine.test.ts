import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { corpusRoot } from "@contracts/fixtures";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { apiById, type LintProblem, lintSpec, listApis, loadSpec, SpecError } from "../src/index.ts";

const scratch = mkdtemp(path.join(tmpdir(), "spec-engine-"));
afterAll(async () => rm(await scratch, { recursive: true, force: true }));

/** A fresh folder under the scratch one, holding `files` (paths relative to it). */
async function repository(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(await scratch, "repo-"));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  return root;
}

const brief = (problem: LintProblem) => `${problem.severity} ${problem.ruleId} ${problem.line}:${problem.col}`;

describe("the corpus of public specs", async () => {
  const apis = await listApis(corpusRoot);

  it.each(apis.map((api) => [api.id, api] as const))(
    "%s lints with its own rules from the corpus registry (0 errors, 0 warnings) and loads as one document",
    async (_id, api) => {
      expect((await lintSpec(api)).map(brief)).toEqual([]);
      expect((await loadSpec(api)).openapi).toMatch(/^3\.[01]\.\d+$/);
    },
  );

  it("loads from a registry named by a path relative to the working directory (`--root`)", async () => {
    const api = await apiById("museum", path.relative(process.cwd(), corpusRoot));
    expect((await loadSpec(api)).info.title).toBe("Redocly Museum API");
  });

  it("holds at least eight specs, in OpenAPI 3.0 and 3.1", async () => {
    const versions = await Promise.all(
      apis.map(async (api) => (parse(await readFile(api.specPath, "utf8")) as { openapi: string }).openapi),
    );
    expect(versions.length).toBeGreaterThanOrEqual(8);
    expect(versions.some((version) => version.startsWith("3.0."))).toBe(true);
    expect(versions.some((version) => version.startsWith("3.1."))).toBe(true);
  });
});

describe("per-API rules in redocly.yaml", () => {
  const spec = `openapi: 3.1.0
info: { title: Widgets, version: 1.0.0, license: { name: MIT, identifier: MIT } }
servers: [{ url: "https://widgets.test" }]
security: []
paths:
  /widgets:
    get:
      operationId: listWidgets
      responses:
        "200": { description: ok }
`;
  const registry = `apis:
  house: { root: widgets.yaml }
  relaxed: { root: widgets.yaml, rules: { operation-summary: off } }
  vendor: { root: widgets.yaml, extends: [minimal] }
extends: [minimal]
rules:
  operation-summary: error
`;

  it("applies the root rules to an entry without its own", async () => {
    const api = await apiById("house", await repository({ "redocly.yaml": registry, "widgets.yaml": spec }));
    await expect(loadSpec(api)).rejects.toThrow(/widgets\.yaml:7:5 .*\(rule operation-summary/);
  });

  it("lets an entry's `rules` override the root's", async () => {
    const api = await apiById("relaxed", await repository({ "redocly.yaml": registry, "widgets.yaml": spec }));
    expect((await loadSpec(api)).info.title).toBe("Widgets");
    expect(await lintSpec(api)).toEqual([]);
  });

  it("judges an entry with its own `extends` by that ruleset alone, as Redocly does", async () => {
    const api = await apiById("vendor", await repository({ "redocly.yaml": registry, "widgets.yaml": spec }));
    expect((await loadSpec(api)).info.title).toBe("Widgets");
    expect((await lintSpec(api)).map(brief)).toEqual(["warn operation-summary 7:5"]);
  });
});

describe("one verdict for npm run lint and loadSpec", () => {
  /**
   * Museum with its two `format: uuid` schema examples cut to seven hex digits in their first group,
   * as train-travel published three (it left the corpus for its licence): the CLI reported them and
   * openapi-core 1.34 (`validateFormats: false`) let them through.
   */
  async function museumWithShortUuids(): Promise<string> {
    const corpusRegistry = parse(await readFile(path.join(corpusRoot, "redocly.yaml"), "utf8"));
    const root = await repository({
      "redocly.yaml": stringify({ ...corpusRegistry, apis: { museum: corpusRegistry.apis.museum } }),
    });
    await cp(path.join(corpusRoot, "museum"), path.join(root, "museum"), { recursive: true });
    const specFile = path.join(root, "museum", "openapi.yaml");
    const valid = await readFile(specFile, "utf8");
    await writeFile(specFile, valid.replaceAll("example: a54a57ca-", "example: a54a57c-"));
    return root;
  }

  it("refuses the same problems, at the same places, by the same rules", async () => {
    const root = await museumWithShortUuids();
    // What the lint task runs (specs/package.json), with its default report.
    const cli = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");
    const lint = await execa(process.execPath, [cli, "lint", "--config", "redocly.yaml", "--lint-config", "error"], {
      cwd: root,
      reject: false,
      env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    expect(lint.exitCode).toBe(1);
    const fromLint = [...lint.stdout.matchAll(/^\[\d+\] museum\/openapi\.yaml:(\d+:\d+) at .*\n/gm)].map(
      ([, place]) => place,
    );

    const failure = await loadSpec(await apiById("museum", root)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SpecError);
    const fromLoadSpec = (failure as SpecError).problems.map((problem) => {
      expect(problem).toMatch(/must match format "uuid".*\(rule no-invalid-schema-examples, at /);
      return /^museum\/openapi\.yaml:(\d+:\d+) /.exec(problem)?.[1];
    });

    expect(fromLoadSpec).toEqual(["276:16", "674:18"]);
    expect(fromLint.sort()).toEqual(fromLoadSpec.sort());
  });
});
