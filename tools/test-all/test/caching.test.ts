import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { generate } from "@contracts/codegen";
import { listApis, loadSpec, repoRoot } from "@contracts/spec";
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

/** Registers an API in the registry of `root` as the README says: its `apis:` entry, pointing at `spec`. */
async function register(root: string, id: string, spec: string): Promise<void> {
  const registryFile = path.join(root, "redocly.yaml");
  const registry = await readFile(registryFile, "utf8");
  const registered = registry.replace(/^apis:\n/m, `apis:\n  ${id}:\n    root: ${spec}\n`);
  expect(registered).not.toBe(registry);
  await writeFile(registryFile, registered);
}

/**
 * A spec written here, registered under a new id without rules of its own (the house style's): a
 * vendor's spec a user registered first (with its own `extends:`) would not lint under the house style.
 */
async function houseApi(root: string) {
  const house = (await listApis(root)).find((api) => api.house);
  expect(house).toBeDefined();
  return house!;
}

/** `npm run generate -- <id> && npm install`: the package generated, the lockfile written as the install writes it. */
async function generateAndInstall(root: string, id: string): Promise<void> {
  await generate({ root, apis: [id] });
  await execa("npm", ["install", "--package-lock-only", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: root,
  });
}

/** The tasks whose hash differs between two runs of `taskHashes`. */
const changedTasks = (before: Map<string, string>, after: Map<string, string>) =>
  [...before]
    .filter(([task, hash]) => after.get(task) !== hash)
    .map(([task]) => task)
    .sort();

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
    const model = await houseApi(root);
    await cp(model.specPath, path.join(root, "specs", `${newId}.yaml`));
    await register(root, newId, `specs/${newId}.yaml`);
    await generateAndInstall(root, newId);
    after = await taskHashes(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("adds the new API's tasks", () => {
    expect([...after.keys()].filter((task) => !before.has(task)).sort()).toEqual(
      [`@contracts/${newId}#build`, `@contracts/${newId}#lint`, `@contracts/${newId}#test`].sort(),
    );
  });

  // What reads the list of APIs (the spec lint and tests, the drift check), the checks that read every
  // package (the type-check and the layering; the new one is among them), test-all's own tests (they
  // read every manifest: the pins, the shared vitest configuration) and the gate (never cached) re-run.
  it("re-runs only what reads the registry; every other task, the other APIs' included, replays from the cache", () => {
    expect(changedTasks(before, after)).toEqual(
      [
        "//#check",
        "//#diff",
        "//#layering",
        "//#typecheck",
        "@contracts/specs#lint",
        "@contracts/specs#test",
        "@contracts/test-all#test",
      ].sort(),
    );
  });
});

const splitId = "split-api";

// A spec of several JSON files (a schema in a file of its own, reached by a relative `$ref`), registered
// and generated as above; then only the referenced file is edited. The client is made from that
// file too (its types, validators and mock data), so its tasks must re-run, as for an edit of the
// spec's root file, and the others replay.
describe("editing a file a multi-file spec references", () => {
  let root: string;
  let before: Map<string, string>;
  let after: Map<string, string>;
  const schemasFile = `specs/${splitId}/schemas.json`;
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

  beforeAll(async () => {
    root = await copyRepository("test-all-caching-split-");
    await execa("git", ["init", "--quiet"], { cwd: root });
    const model = await houseApi(root);
    const spec = (await loadSpec(model)) as unknown as { components: { schemas: Record<string, object> } };
    // A schema without a `$ref` of its own moves out: in its new file, `#/...` would name that file.
    const [name, schema] = Object.entries(spec.components.schemas).find(
      ([, candidate]) => !JSON.stringify(candidate).includes('"$ref"'),
    )!;
    spec.components.schemas[name] = { $ref: `./schemas.json#/${name}` };
    await mkdir(path.join(root, "specs", splitId));
    await writeFile(path.join(root, "specs", splitId, "openapi.json"), json(spec));
    await writeFile(path.join(root, schemasFile), json({ [name]: schema }));
    await register(root, splitId, `specs/${splitId}/openapi.json`);
    await generateAndInstall(root, splitId);
    before = await taskHashes(root);
    await writeFile(path.join(root, schemasFile), json({ [name]: { ...schema, title: `${name}, edited` } }));
    after = await taskHashes(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("names every file of the spec as an input of the client's build and test", async () => {
    const turbo = JSON.parse(await readFile(path.join(root, "packages", "clients", splitId, "turbo.json"), "utf8")) as {
      tasks: Record<string, { inputs: string[] }>;
    };
    for (const task of ["build", "test"])
      expect(turbo.tasks[task]!.inputs).toEqual(
        expect.arrayContaining([`$TURBO_ROOT$/specs/${splitId}/openapi.json`, `$TURBO_ROOT$/${schemasFile}`]),
      );
  });

  // The gate (`//#diff`) is never cached: it runs every time whatever its hash.
  it("re-runs that client's build and test, the drift check, the spec tasks and the gate; every other task replays", () => {
    expect(changedTasks(before, after)).toEqual(
      [
        "//#check",
        "//#diff",
        `@contracts/${splitId}#build`,
        `@contracts/${splitId}#test`,
        "@contracts/specs#lint",
        "@contracts/specs#test",
      ].sort(),
    );
  });
});

// The drift check's hash follows the package graph: it depends on codegen's `transit` task, whose hash
// takes codegen's sources and manifest and, through `^transit`, those of every workspace package
// codegen's manifest lists, and theirs. An edit of code the check runs re-runs it; an edit elsewhere
// does not. Listed by hand, the inputs had missed the cases, then client-core's routes and responses.
describe("editing code the drift check runs", () => {
  let root: string;
  let hashes: Map<string, string>;

  /** The test tasks whose hash the edit changed (`file` given a trailing comment). */
  async function changedBy(file: string): Promise<string[]> {
    const before = hashes;
    await writeFile(path.join(root, file), `${await readFile(path.join(root, file), "utf8")}// edited\n`);
    hashes = await taskHashes(root);
    return changedTasks(before, hashes);
  }

  beforeAll(async () => {
    root = await copyRepository("test-all-caching-code-");
    await execa("git", ["init", "--quiet"], { cwd: root });
    hashes = await taskHashes(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each(["tools/cases/src/index.ts", "packages/client-core/src/responses.ts", "tools/cli/src/index.ts"])(
    "re-runs the drift check after an edit of %s",
    async (file) => {
      expect(await changedBy(file)).toContain("//#check");
    },
  );

  it("keeps the drift check's result after an edit of a tool it does not run", async () => {
    expect(await changedBy("tools/bench/src/cli.ts")).not.toContain("//#check");
  });
});
