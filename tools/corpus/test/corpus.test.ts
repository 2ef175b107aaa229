import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { testCredentials } from "@contracts/cases";
import { corpusRoot, fixtureRoot } from "@contracts/fixtures";
import { type Mocks, startMocks } from "@contracts/mock";
import { clientPackageDir, listApis, loadSpec } from "@contracts/spec";
import { type AnyCreateClient, describeContract } from "@contracts/testkit/contract";
import { formatCoverage, formatReport, reportPasses, verify } from "@contracts/verify";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { failedSpecs, formatResults, runStages, stages } from "../src/index.ts";

// Once for the whole file: the corpus generated, built and type-checked in a scratch workspace, kept
// for the generated clients' contract tests and verify against the corpus's own mocks.
const { specs, workspace } = await runStages({ registry: corpusRoot, keep: true });
const root = workspace!;
afterAll(() => rm(root, { recursive: true, force: true }));
const generated = specs.filter((spec) => !failedSpecs(specs).includes(spec)).map((spec) => spec.api);

describe("the public corpus", () => {
  it("passes every stage with every spec: lint, generate, build, typecheck and the generated type tests", async () => {
    expect(specs.map((spec) => spec.api)).toEqual((await listApis(corpusRoot)).map((api) => api.id));
    expect(
      failedSpecs(specs).map((spec) => spec.api),
      formatResults(specs),
    ).toEqual([]);
  });
});

// Each generated client's contract tests, as its own test/contract.test.ts runs them, against the corpus's mocks.
for (const id of generated) {
  const client = path.join(clientPackageDir({ id, root }), "src", "index.ts");
  const { createClient } = (await import(pathToFileURL(client).href)) as { createClient: AnyCreateClient };
  await describeContract(id, createClient, { root });
}

describe("verify --write against the corpus's own mocks", () => {
  let mocks: Mocks;
  beforeAll(async () => {
    mocks = await startMocks({ root, apis: generated });
  });
  afterAll(() => mocks?.stop());

  it.each(generated)("%s: every case conforms and every operation that documents a 2xx answers one", async (id) => {
    const document = await loadSpec((await listApis(root)).find((api) => api.id === id)!);
    const report = await verify({
      root,
      api: id,
      upstream: mocks.urls[id],
      write: true,
      credentials: testCredentials(document, "corpus-verify-key"),
    });
    console.log(formatCoverage(report));
    expect(reportPasses(report), formatReport(report)).toBe(true);
  });
});

describe("runStages", () => {
  it("passes the specs that go through and stops a refused one at its stage, naming the place", async () => {
    const registry = await mkdtemp(path.join(tmpdir(), "corpus-registry-"));
    onTestFinished(() => rm(registry, { recursive: true, force: true }));
    await cp(fixtureRoot, registry, { recursive: true });
    const widgets = path.join(registry, "specs", "widgets.yaml");
    const spec = await readFile(widgets, "utf8");
    const broken = spec.replace("#/components/schemas/WidgetUpdate", "#/components/schemas/Missing");
    expect(broken).not.toBe(spec);
    await writeFile(widgets, broken);

    const { specs, workspace } = await runStages({ registry });
    expect(workspace).toBeUndefined();
    const byApi = Object.fromEntries(specs.map((result) => [result.api, result.stages]));
    expect(byApi.widgets!.map((stage) => stage.status)).toEqual(["failed", "not run", "not run", "not run", "not run"]);
    expect(byApi.widgets![0]!.problems.join("\n")).toMatch(/^specs\/widgets\.yaml:\d+:\d+ Can't resolve \$ref/m);
    for (const api of ["gadgets", "gizmos"])
      expect(byApi[api], formatResults(specs)).toEqual(
        stages.map((stage) => ({ stage, status: "passed", problems: [] })),
      );
    expect(formatResults(specs)).toContain("2 of 3 specs pass every stage.");
  });
});
