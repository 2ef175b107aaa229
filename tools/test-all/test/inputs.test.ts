import { glob, readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";

const run = (command: string, args: string[]) =>
  execa(command, args, { cwd: repoRoot, preferLocal: true, reject: false });

/** The files turbo hashes for a root task: its inputs, as `turbo run <task> --dry=json` lists them, and the global dependencies. */
async function hashedFiles(task: string): Promise<Set<string>> {
  const { stdout } = await run("turbo", ["run", task, "--dry=json"]);
  const { tasks } = JSON.parse(stdout) as { tasks: { taskId: string; inputs: Record<string, string> }[] };
  const hashed = new Set(Object.keys(tasks.find((entry) => entry.taskId === `//#${task}`)!.inputs));
  const { globalDependencies } = JSON.parse(await readFile(path.join(repoRoot, "turbo.json"), "utf8")) as {
    globalDependencies: string[];
  };
  for await (const file of glob(globalDependencies, { cwd: repoRoot })) hashed.add(file);
  return hashed;
}

/** Every file of the working tree git does not ignore: what turbo could hash. */
async function repositoryFiles(): Promise<string[]> {
  const { stdout } = await run("git", ["ls-files", "-co", "--exclude-standard"]);
  return stdout.split("\n").filter(Boolean);
}

// The root checks read files by kind across the tree; their `inputs` in turbo.json name those kinds.
// Each test asks the check's own tool what it reads, so a file of a kind the inputs leave out (a
// `.mjs` config, a `.js` script) is named here instead of leaving a stale result in the cache.
/** The repository's modules the layering check cruises (every import of `packages/`, `tools/` and `specs/`, followed). */
async function cruisedModules(): Promise<string[]> {
  const { stdout } = await run("depcruise", [
    "--config",
    ".dependency-cruiser.mjs",
    "--output-type",
    "json",
    "packages",
    "tools",
    "specs",
  ]);
  const { modules } = JSON.parse(stdout) as { modules: { source: string; coreModule?: boolean }[] };
  return modules
    .filter((module) => !module.coreModule && !module.source.includes("node_modules/"))
    .map((module) => module.source);
}

describe("the root checks' turbo inputs", () => {
  let cruised: string[];
  beforeAll(async () => {
    cruised = await cruisedModules();
  });

  it("hold every module the layering check cruises", async () => {
    const hashed = await hashedFiles("layering");
    expect(cruised.length).toBeGreaterThan(0);
    expect(cruised.filter((file) => !hashed.has(file))).toEqual([]);
  });

  // TypeScript reads the TypeScript modules of the same imports and, with `resolveJsonModule`, the JSON ones.
  it("hold every module the type-check's programs import", async () => {
    const hashed = await hashedFiles("typecheck");
    const read = cruised.filter((file) => /\.([mc]?ts|tsx|json)$/.test(file));
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((file) => !hashed.has(file))).toEqual([]);
  });

  it("hold every file Biome checks", async () => {
    const hashed = await hashedFiles("biome");
    const unhashed = (await repositoryFiles()).filter((file) => !hashed.has(file));
    // Biome is given every file the task does not hash: it must find none of them to check.
    const { stdout } = await run("biome", [
      "ci",
      "--colors=off",
      "--files-ignore-unknown=true",
      "--no-errors-on-unmatched",
      "--reporter=json",
      ...unhashed,
    ]);
    const { summary } = JSON.parse(stdout.slice(stdout.indexOf("{"))) as {
      summary: { changed: number; unchanged: number };
    };
    expect(summary.changed + summary.unchanged).toBe(0);
  });
});
