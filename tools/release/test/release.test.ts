import { existsSync } from "node:fs";
import { cp, glob, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate } from "@contracts/codegen";
import { type Mocks, startMocks } from "@contracts/mock";
import { exampleCall, listApis, loadSpec, operationsOf, repoRoot } from "@contracts/spec";
import { fixtureRoot } from "@contracts/testkit/fixtures";
import { writeConsumerProject } from "@contracts/testkit/package";
import { execa, execaNode, type ResultPromise } from "execa";
import getPort from "get-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dependencyOrder, release } from "../src/index.ts";

const git = (root: string, ...args: string[]) =>
  execa("git", ["-c", "user.name=release test", "-c", "user.email=release-test@example.test", ...args], { cwd: root });

/** The project's own APIs: the scratch copy holds the fixture registry's instead. */
const projectApis = /^(redocly\.yaml$|specs\/|packages\/clients\/)/;

/**
 * A scratch copy of the workspace (every file git does not ignore) with the fixture registry's
 * specs and their generated clients in place of the project's, committed on `main`. Its
 * node_modules links each installed package back to this repository's, except the workspace's
 * own packages, which link to the copy's: builds and publishes there use the copy's sources.
 */
async function scratchWorkspace(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "release-test-"));
  const files = (await execa("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: repoRoot })).stdout
    .split("\0")
    .filter(Boolean);
  // -c lists tracked files deleted in the working tree too: they are not part of it.
  await Promise.all(
    files
      .filter((candidate) => !projectApis.test(candidate) && existsSync(path.join(repoRoot, candidate)))
      .map((file) => cp(path.join(repoRoot, file), path.join(root, file))),
  );
  await cp(fixtureRoot, root, { recursive: true });
  await generate({ root });
  await mkdir(path.join(root, "node_modules", "@contracts"), { recursive: true });
  for (const entry of await readdir(path.join(repoRoot, "node_modules"))) {
    // Not the install's caches: the copy's verdicts stay in the copy.
    if (entry !== "@contracts" && entry !== ".cache")
      await symlink(path.join(repoRoot, "node_modules", entry), path.join(root, "node_modules", entry));
  }
  const { workspaces } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  for await (const manifest of glob(
    workspaces.map((pattern) => `${pattern}/package.json`),
    { cwd: root },
  )) {
    const { name } = JSON.parse(await readFile(path.join(root, manifest), "utf8")) as { name: string };
    await symlink(path.join(root, path.dirname(manifest)), path.join(root, "node_modules", name));
  }
  await git(root, "init", "--quiet", "--initial-branch=main");
  await git(root, "add", ".");
  await git(root, "commit", "--quiet", "-m", "scratch copy");
  return root;
}

interface Registry {
  url: string;
  userconfig: string;
  stop: () => Promise<void>;
}

/** Verdaccio on a free loopback port, storage in a temp dir, no uplinks: nothing leaves the machine. */
async function startRegistry(): Promise<Registry> {
  const dir = await mkdtemp(path.join(tmpdir(), "release-registry-"));
  const port = await getPort({ host: "127.0.0.1" });
  const url = `http://127.0.0.1:${port}/`;
  const rule = { access: "$all", publish: "$authenticated" };
  const config = {
    storage: path.join(dir, "storage"),
    // bcrypt at its least cost (2^4 rounds, not 2^10): Verdaccio checks the password on every
    // publish, and this throwaway user's protects nothing.
    auth: { htpasswd: { file: path.join(dir, "htpasswd"), rounds: 4 } },
    uplinks: {},
    packages: { "@*/*": rule, "**": rule },
    middlewares: { audit: { enabled: false } },
    web: { enable: false },
    log: { type: "stdout", format: "pretty", level: "error" },
  };
  await writeFile(path.join(dir, "config.yaml"), JSON.stringify(config));
  const server: ResultPromise = execaNode(
    path.join(repoRoot, "node_modules", "verdaccio", "bin", "verdaccio"),
    ["--config", path.join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`],
    {
      reject: false,
      all: true,
    },
  );
  let exited = false;
  void server.then(() => {
    exited = true;
  });
  const stop = async () => {
    server.kill();
    await server;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let attempt = 0; ; attempt++) {
      const ping = await fetch(`${url}-/ping`).catch(() => undefined);
      if (ping?.ok) break;
      if (exited || attempt > 300) throw new Error(`Verdaccio did not start:\n${(await server).all}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A user and its token without prompts.
    const user = await fetch(`${url}-/user/org.couchdb.user:release-test`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "release-test", password: "release-test-password" }),
    });
    const { token } = (await user.json()) as { token: string };
    const userconfig = path.join(dir, "npmrc");
    await writeFile(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, userconfig, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A project outside the workspace that takes `@contracts/*` from the test registry. */
async function consumer(
  registry: Registry,
  dependency: string,
  range: string,
): Promise<{ dir: string; installed: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "release-consumer-"));
  await writeFile(path.join(dir, ".npmrc"), `@contracts:registry=${registry.url}\n`);
  await writeConsumerProject(dir, { dependencies: { [dependency]: range } });
  await execa("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir });
  const { version } = JSON.parse(
    await readFile(path.join(dir, "node_modules", dependency, "package.json"), "utf8"),
  ) as { version: string };
  return { dir, installed: version };
}

const tsc = (dir: string) =>
  execa(path.join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", dir], { reject: false, all: true });

// The fixture registry's first API stands for every client: the steps are the same for each.
const [api] = await listApis(fixtureRoot);
if (!api) throw new Error("the fixture registry lists no API");
const document = await loadSpec(api);
const [operation] = operationsOf(document);
if (!operation) throw new Error(`${api.id} has no operation`);
// A client is @contracts/<id> and carries its spec's version (see the codegen README section).
const packageName = `@contracts/${api.id}`;
const firstVersion = document.info.version;
const major = Number(firstVersion.split(".")[0]);
const renamedMethod = `${operation.id}Renamed`;

// One registry and one scratch workspace for the whole file: each step builds on the last.
describe("npm run release against a real registry (Verdaccio on loopback)", () => {
  let registry: Registry;
  let workspace: string;
  let mocks: Mocks | undefined;
  const scratch: string[] = [];

  beforeAll(async () => {
    [registry, workspace] = await Promise.all([startRegistry(), scratchWorkspace()]);
    scratch.push(workspace);
  });

  afterAll(async () => {
    await mocks?.stop();
    await registry?.stop();
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("refuses a tree with uncommitted changes, naming them", async () => {
    await writeFile(path.join(workspace, "stray.txt"), "not committed\n");
    await expect(release({ root: workspace, registry: registry.url, userconfig: registry.userconfig })).rejects.toThrow(
      /Uncommitted changes[\s\S]*stray\.txt/,
    );
    await rm(path.join(workspace, "stray.txt"));
  });

  it("publishes client-core first, then every client", async () => {
    const apis = await listApis(workspace);
    const first = await release({ root: workspace, registry: registry.url, userconfig: registry.userconfig });
    expect(first.published.map((pkg) => pkg.name)).toEqual([
      "@contracts/client-core",
      ...apis.map((candidate) => `@contracts/${candidate.id}`),
    ]);
  });

  it(`installs ${packageName}@^${major} in a fresh project, which type-checks strictly and calls the mock`, async () => {
    const { dir, installed } = await consumer(registry, packageName, `^${major}`);
    scratch.push(dir);
    expect(installed).toBe(firstVersion);
    const example = exampleCall(document, operation);
    const init = {
      ...(Object.keys(example.pathParameters).length > 0 && { params: { path: example.pathParameters } }),
      ...(example.body !== undefined && { body: example.body }),
    };
    await writeFile(
      path.join(dir, "main.ts"),
      `import { createClient } from "${packageName}";
declare const process: { argv: string[] };
const client = createClient({ apiKey: "consumer-key", baseUrl: process.argv[2] });
const { data, response } = await client.${operation.id}(${JSON.stringify(init)});
console.log(JSON.stringify({ status: response.status, ok: data !== undefined }));
`,
    );
    const compiled = await tsc(dir);
    expect(compiled.all).toBe("");
    mocks = await startMocks({ apis: [api.id], root: workspace });
    const run = await execa("node", ["main.ts", mocks.urls[api.id]!], { cwd: dir });
    expect(JSON.parse(run.stdout)).toEqual({ status: 200, ok: true });
  });

  it("refuses a breaking change without a major bump", async () => {
    await git(workspace, "checkout", "--quiet", "-b", "rename");
    const spec = path.join(workspace, path.relative(fixtureRoot, api.specPath));
    const text = await readFile(spec, "utf8");
    const renamed = text.replace(`operationId: ${operation.id}\n`, `operationId: ${renamedMethod}\n`);
    expect(renamed).not.toBe(text);
    await writeFile(spec, renamed);
    await generate({ root: workspace, apis: [api.id] });
    await git(workspace, "commit", "--quiet", "-am", "rename the operation");
    await expect(release({ root: workspace, registry: registry.url, userconfig: registry.userconfig })).rejects.toThrow(
      new RegExp(`version gate failed[\\s\\S]*${api.id}: major changes .* need info\\.version ${major + 1}\\.0\\.0`),
    );
  });

  it(`publishes the major bump; ^${major} keeps ${firstVersion} while ^${major + 1} gets the renamed method`, async () => {
    const spec = path.join(workspace, path.relative(fixtureRoot, api.specPath));
    const nextVersion = `${major + 1}.0.0`;
    const text = await readFile(spec, "utf8");
    await writeFile(spec, text.replace(`version: ${firstVersion}\n`, `version: ${nextVersion}\n`));
    await generate({ root: workspace, apis: [api.id] });
    await git(workspace, "commit", "--quiet", "-am", "major bump");
    // Only the bumped client: every other package's version is on the registry already.
    const result = await release({ root: workspace, registry: registry.url, userconfig: registry.userconfig });
    expect(result.published).toEqual([{ name: packageName, version: nextVersion }]);
    expect(result.unchanged.map((pkg) => pkg.name)).not.toContain(packageName);
    expect(result.unchanged).toHaveLength((await listApis(workspace)).length);

    const old = await consumer(registry, packageName, `^${major}`);
    const next = await consumer(registry, packageName, `^${major + 1}`);
    scratch.push(old.dir, next.dir);
    expect([old.installed, next.installed]).toEqual([firstVersion, nextVersion]);
    const uses = (method: string) =>
      `import { createClient } from "${packageName}";\nexport const method = createClient({ apiKey: null }).${method};\n`;
    // One compile of both files: every error must be the old method's, in its own file.
    await writeFile(path.join(next.dir, "main.ts"), uses(renamedMethod));
    await writeFile(path.join(next.dir, "old.ts"), uses(operation.id));
    const errors = (await tsc(next.dir)).all.split("\n");
    const oldMethodError = new RegExp(
      `(^|/)old\\.ts\\(\\d+,\\d+\\): error TS\\d+: Property '${operation.id}' does not exist`,
    );
    expect(errors).toEqual([expect.stringMatching(oldMethodError)]);
  });
});

describe("dependencyOrder", () => {
  it("puts each package after the packages it depends on, whatever the input order", () => {
    const packages = [
      { name: "client", dependencies: ["core", "left-pad"] },
      { name: "core", dependencies: [] },
    ];
    expect(dependencyOrder(packages).map((pkg) => pkg.name)).toEqual(["core", "client"]);
  });
});

describe("the CLI", () => {
  it("prints the usage and exits 2 without --registry", async () => {
    const result = await execa("node", [path.join(import.meta.dirname, "..", "src", "cli.ts")], {
      reject: false,
      all: true,
    });
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("Usage: contracts-release");
  });
});
