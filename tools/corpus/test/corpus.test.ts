import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { corpusRoot, fixtureRoot } from "@contracts/fixtures";
import { listApis } from "@contracts/spec";
import { describe, expect, it, onTestFinished } from "vitest";
import { failedSpecs, formatResults, runStages, stages } from "../src/index.ts";

describe("the public corpus", () => {
  it("passes every stage with every spec: lint, generate, build, typecheck and the generated type tests", async () => {
    const { specs } = await runStages({ registry: corpusRoot });
    expect(specs.map((spec) => spec.api)).toEqual((await listApis(corpusRoot)).map((api) => api.id));
    expect(
      failedSpecs(specs).map((spec) => spec.api),
      formatResults(specs),
    ).toEqual([]);
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
