import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testTasks } from "../src/index.ts";

const colouredLine = "\u001b[32mcoloured line\u001b[39m";

/** A repository of one package whose test writes a coloured line whatever its output is, as vitest does. */
async function colourfulRepository(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "test-all-colour-"));
  const { packageManager } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
    packageManager: string;
  };
  const json = (file: string, value: unknown) => writeFile(path.join(root, file), JSON.stringify(value));
  await mkdir(path.join(root, "pkg"));
  await json("package.json", { name: "colourful", private: true, packageManager, workspaces: ["pkg"] });
  await json("pkg/package.json", {
    name: "pkg",
    scripts: { test: `node -e 'console.log(${JSON.stringify(colouredLine)})'` },
  });
  await json("turbo.json", { tasks: Object.fromEntries(testTasks.map((task) => [task, { outputs: [] }])) });
  // turbo's own logs sit in the package: ignored, as in this repository, or they would change its hash.
  await writeFile(path.join(root, ".gitignore"), ".turbo/\n");
  await execa("git", ["init", "--quiet"], { cwd: root });
  return root;
}

// A forced run around this test (TURBO_FORCE=true npm test) must not force the runs inside it.
const { TURBO_FORCE: _forced, ...unforcedEnv } = process.env;

/** runTestTasks as the test command runs it, its output going to a pipe (a log file, CI): not a terminal. */
const runIntoPipe = (root: string) =>
  execa(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { runTestTasks } from ${JSON.stringify(new URL("../src/index.ts", import.meta.url).href)};
await runTestTasks(${JSON.stringify(root)});`,
    ],
    { all: true, env: unforcedEnv, extendEnv: false },
  );

describe("the test command's output into a file", () => {
  let root: string;
  beforeAll(async () => {
    root = await colourfulRepository();
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("has the task's lines without colour codes", async () => {
    const { all } = await runIntoPipe(root);
    expect(all).toContain("coloured line");
    expect(all).not.toContain("\u001b");
  });

  // turbo replays the log it kept of the first run, colour codes and all.
  it("has them without colour codes when turbo replays them from its cache", async () => {
    await runIntoPipe(root); // fills the cache, whichever case ran first
    const { all } = await runIntoPipe(root);
    expect(all).toContain("cache hit, replaying logs");
    expect(all).toContain("coloured line");
    expect(all).not.toContain("\u001b");
  });
});
