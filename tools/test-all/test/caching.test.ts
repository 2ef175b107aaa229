import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { generate } from "@contracts/codegen";
import { listApis, repoRoot } from "@contracts/spec";
import { copyRepository } from "@contracts/testkit/workspace";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testTasks } from "../src/index.ts";

/** The hash of every task of the test command, as turbo would key its cache for this tree now. */
async function taskHashes(root: string): Promise<Map<string, string>> {
  const { stdout } = await execa("turbo", ["run", ...testTasks, "--dry=json"], {
    cwd: root,
    preferLocal: true,
    localDir: repoRoot,
  });
  const { tasks } = JSON.parse(stdout) as { tasks: { taskId: string; hash: string }[] };
  return new Map(tasks.map((task) => [task.taskId, task.hash]));
}

const newId = "new-api";

// A copy of the repository, hashed before and after registering an API the way the README says:
// its spec, its `apis:` entry, `npm run generate` and the lockfile `npm install` writes. What this
// rests on is how turbo keys the tasks (the turbo.json files; the clients' come from codegen): the
// registry and the specs are no inputs of this test, or registering an API would re-run it too.
describe("registering a new API", () => {
  let root: string;
  let before: Map<string, string>;
  let after: Map<string, string>;

  beforeAll(async () => {
    root = await copyRepository("test-all-caching-");
    await execa("git", ["init", "--quiet"], { cwd: root });
    before = await taskHashes(root);
    const [model] = await listApis(root);
    await cp(model!.specPath, path.join(root, "specs", `${newId}.yaml`));
    const registryFile = path.join(root, "redocly.yaml");
    const registry = await readFile(registryFile, "utf8");
    const registered = registry.replace(/^apis:\n/m, `apis:\n  ${newId}:\n    root: specs/${newId}.yaml\n`);
    expect(registered).not.toBe(registry);
    await writeFile(registryFile, registered);
    await generate({ root, apis: [newId] });
    await execa("npm", ["install", "--package-lock-only", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: root,
    });
    after = await taskHashes(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("adds the new API's tasks", () => {
    expect([...after.keys()].filter((task) => !before.has(task)).sort()).toEqual(
      [`@contracts/${newId}#build`, `@contracts/${newId}#lint`, `@contracts/${newId}#test`].sort(),
    );
  });

  // What reads the list of APIs (the spec lint and tests, the drift check), the one program that
  // type-checks every package (the new one is among them) and the gate (never cached) re-run.
  it("re-runs only what reads the registry; every other task, the other APIs' included, replays from the cache", () => {
    const changed = [...before].filter(([task, hash]) => after.get(task) !== hash).map(([task]) => task);
    expect(changed.sort()).toEqual(
      ["//#check", "//#diff", "//#typecheck", "@contracts/specs#lint", "@contracts/specs#test"].sort(),
    );
  });
});
