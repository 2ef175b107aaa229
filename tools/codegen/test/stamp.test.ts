import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { generatorSources, inputsOf, remember, upToDate } from "../src/stamp.ts";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

/** A repository root with a generated file, installed (a node_modules of its own) or not. */
async function repository(installed: boolean) {
  const root = await mkdtemp(path.join(tmpdir(), "codegen-stamp-"));
  roots.push(root);
  if (installed) await mkdir(path.join(root, "node_modules"));
  const file = { path: path.join(root, "packages", "clients", "acme", "src", "index.ts"), content: "export {};\n" };
  await mkdir(path.dirname(file.path), { recursive: true });
  await writeFile(file.path, file.content);
  return { root, file };
}

describe("the generation stamp", () => {
  it("holds while the spec, the generator and the files are as generated", async () => {
    const { root, file } = await repository(true);
    const inputs = await inputsOf("acme", { openapi: "3.1.0" }, { version: "1.0.0" });
    expect(await upToDate(root, "acme", inputs)).toBe(false);
    await remember(root, "acme", inputs, [file]);
    expect(await upToDate(root, "acme", inputs)).toBe(true);
  });

  it("fails on another spec, another client-core, or a file edited by hand", async () => {
    const { root, file } = await repository(true);
    const inputs = await inputsOf("acme", { openapi: "3.1.0" }, { version: "1.0.0" });
    await remember(root, "acme", inputs, [file]);
    expect(await upToDate(root, "acme", await inputsOf("acme", { openapi: "3.1.1" }, { version: "1.0.0" }))).toBe(
      false,
    );
    expect(await upToDate(root, "acme", await inputsOf("acme", { openapi: "3.1.0" }, { version: "1.0.1" }))).toBe(
      false,
    );
    await writeFile(file.path, "export const edited = true;\n");
    expect(await upToDate(root, "acme", inputs)).toBe(false);
  });

  it("is kept only in an installed repository", async () => {
    const { root, file } = await repository(false);
    const inputs = await inputsOf("acme", {}, {});
    await remember(root, "acme", inputs, [file]);
    expect(await upToDate(root, "acme", inputs)).toBe(false);
  });

  // What codegen's entry points import, file by file, as the layering check resolves it: each must
  // count, or an edit of it would leave the stamp standing. The hand-kept list this replaced held
  // client-core's defaults and media types but not its routes and responses, which the spec layer
  // re-exports and the validators bundle from source.
  it("covers every file codegen imports, through the packages its manifest depends on", async () => {
    const { stdout } = await execa(
      "depcruise",
      [
        "--config",
        ".dependency-cruiser.mjs",
        "--output-type",
        "json",
        "tools/codegen/src/cli.ts",
        "tools/codegen/src/index.ts",
      ],
      { cwd: repoRoot, preferLocal: true },
    );
    const imported = (JSON.parse(stdout) as { modules: { source: string; coreModule?: boolean }[] }).modules
      .filter((module) => !module.coreModule && !module.source.includes("node_modules/"))
      .map((module) => module.source);
    const sources = await generatorSources(repoRoot);
    expect(imported).toContain("packages/client-core/src/responses.ts");
    expect(imported.filter((file) => !sources.includes(file))).toEqual([]);
    // The mock is only a devDependency (codegen's tests start it): editing it generates nothing again.
    expect(sources.filter((file) => file.startsWith("tools/mock/"))).toEqual([]);
  });
});
