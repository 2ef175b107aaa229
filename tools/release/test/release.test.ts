import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, untilOutput } from "@contracts/cli";
import { generate } from "@contracts/codegen";
import { fixtureRoot } from "@contracts/fixtures";
import { startMocks } from "@contracts/mock";
import { exampleCall, listApis, loadSpec, operationsOf, repoRoot, responsesOf, sentSchemesOf } from "@contracts/spec";
import { bundleSize, clientBundleBudgetFor } from "@contracts/testkit/bundle";
import { fixtureWorkspace } from "@contracts/testkit/workspace";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { dependencyOrder, type ReleaseResult, release } from "../src/index.ts";

const git = (root: string, ...args: string[]) =>
  execa("git", ["-c", "user.name=release test", "-c", "user.email=release-test@example.test", ...args], { cwd: root });

/**
 * A fixture workspace (see testkit) with the fixture registry's clients generated, committed on
 * `main`: builds and publishes there use the copy's sources.
 */
async function scratchWorkspace(): Promise<string> {
  const root = await fixtureWorkspace("release-test-");
  await generate({ root });
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

/**
 * Verdaccio on a free loopback port with the registry config the README has users try a release
 * on (no uplinks: nothing leaves the machine), its storage in a temp dir next to a copy of it.
 */
async function startRegistry(): Promise<Registry> {
  const dir = await mkdtemp(path.join(tmpdir(), "release-registry-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  await cp(path.join(import.meta.dirname, "..", "verdaccio.yaml"), path.join(dir, "config.yaml"));
  const server = execa(
    process.execPath,
    [
      path.join(repoRoot, "node_modules", "verdaccio", "bin", "verdaccio"),
      ...["--config", path.join(dir, "config.yaml"), "--listen", `127.0.0.1:${port}`],
    ],
    { reject: false, all: true },
  );
  const stop = async () => {
    server.kill();
    await server;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await untilOutput(server, `http address - ${url}`);
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

/** Folders the file's cases made, removed at its end. */
const scratch: string[] = [];
afterAll(() => Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

/**
 * An outside TypeScript project as a consumer of the packages sets one up: an ESM package taking
 * `@contracts/*` from the test registry, compiled strictly against the packages' own types.
 */
async function consumer(
  registry: Registry,
  dependency: string,
  range: string,
  others: Record<string, string> = {},
): Promise<{ dir: string; installed: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "release-consumer-"));
  scratch.push(dir);
  await writeFile(path.join(dir, ".npmrc"), `@contracts:registry=${registry.url}\n`);
  const manifest = {
    name: "consumer",
    private: true,
    type: "module",
    dependencies: { [dependency]: range, ...others },
  };
  await writeFile(path.join(dir, "package.json"), JSON.stringify(manifest));
  const compilerOptions = {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    lib: ["ES2022", "DOM"],
    types: [],
  };
  await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["*.ts"] }));
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

/** The call the spec's examples make of the operation. */
function exampleInit() {
  const example = exampleCall(document, operation!);
  return {
    ...(Object.keys(example.pathParameters).length > 0 && { params: { path: example.pathParameters } }),
    ...(example.body !== undefined && { body: example.body }),
  };
}

/** The msw the consumer installs: the range the clients' mocks entry asks for. */
const { peerDependencies } = JSON.parse(
  await readFile(path.join(repoRoot, "packages", "client-core", "package.json"), "utf8"),
) as { peerDependencies: { msw: string } };
const mswRange = peerDependencies.msw;

// The template of every client package is tested here, on the fixture registry's first API, as a
// consumer gets it: published by the release, installed from the registry.
describe("npm run release against a real registry (Verdaccio on loopback)", () => {
  let registry: Registry;
  let workspace: string;
  /** The release of the fresh workspace on main, before any case: every case starts from it. */
  let first: ReleaseResult;
  /** A consumer of what it published: the client's latest ^major version. */
  let installed: { dir: string; installed: string };
  const releaseWorkspace = () => release({ root: workspace, registry: registry.url, userconfig: registry.userconfig });
  const spec = () => path.join(workspace, path.relative(fixtureRoot, api.specPath));

  beforeAll(async () => {
    [registry, workspace] = await Promise.all([startRegistry(), scratchWorkspace()]);
    scratch.push(workspace);
    first = await releaseWorkspace();
    installed = await consumer(registry, packageName, `^${major}`);
  });

  afterAll(() => registry?.stop());

  /** A branch off main for the case's commits; the workspace is back on a clean main after the case. */
  const branch = async (name: string): Promise<void> => {
    await git(workspace, "checkout", "--quiet", "-b", name, "main");
    onTestFinished(async () => {
      await git(workspace, "checkout", "--quiet", "--force", "main");
      await git(workspace, "clean", "--quiet", "--force", "-d");
    });
  };

  /** The API's operation renamed (a breaking change) and its client regenerated, at `version` if given. */
  const renameOperation = async (version?: string): Promise<void> => {
    const text = await readFile(spec(), "utf8");
    let changed = text.replace(`operationId: ${operation.id}\n`, `operationId: ${renamedMethod}\n`);
    if (version) changed = changed.replace(`version: ${firstVersion}\n`, `version: ${version}\n`);
    expect(changed).not.toBe(text);
    await writeFile(spec(), changed);
    await generate({ root: workspace, apis: [api.id] });
    await git(workspace, "commit", "--quiet", "-am", `rename the operation${version ? `, ${version}` : ""}`);
  };

  it("publishes client-core first, then every client", async () => {
    const apis = await listApis(workspace);
    expect(first.published.map((pkg) => pkg.name)).toEqual([
      "@contracts/client-core",
      ...apis.map((candidate) => `@contracts/${candidate.id}`),
    ]);
  });

  it("refuses a tree with uncommitted changes, naming them", async () => {
    const stray = path.join(workspace, "stray.txt");
    await writeFile(stray, "not committed\n");
    onTestFinished(() => rm(stray, { force: true }));
    await expect(releaseWorkspace()).rejects.toThrow(/Uncommitted changes[\s\S]*stray\.txt/);
  });

  it(`installs ${packageName}@^${major} in a fresh project, which type-checks strictly (a middleware too), refuses misuse and calls the mock, validating the answer`, async () => {
    const { dir } = installed;
    expect(installed.installed).toBe(firstVersion);
    const init = exampleInit();
    await writeFile(
      path.join(dir, "main.ts"),
      `import { createClient, type Middleware } from "${packageName}";
declare const process: { argv: string[] };
const client = createClient({ apiKey: "consumer-key", baseUrl: process.argv[2] });
const seen: number[] = [];
const logging: Middleware = { onResponse: ({ response }) => void seen.push(response.status) };
client.use(logging);
const { data, response } = await client.${operation.id}({ ...${JSON.stringify(init)}, validateResponses: true });
console.log(JSON.stringify({ status: response.status, ok: data !== undefined, seen }));
${Object.keys(init).length === 0 ? "" : `// @ts-expect-error a call without its required params and body must not compile\nawait client.${operation.id}();\n`}`,
    );
    const compiled = await tsc(dir);
    expect(compiled.all).toBe("");
    expect(compiled.exitCode).toBe(0);
    const mocks = await startMocks({ apis: [api.id], root: workspace });
    onTestFinished(() => mocks.stop());
    const run = await execa("node", ["main.ts", mocks.urls[api.id]!], { cwd: dir });
    expect(JSON.parse(run.stdout)).toEqual({ status: 200, ok: true, seen: [200] });
    // msw is an optional peer dependency of the mocks entry: the client runs without it.
    expect(existsSync(path.join(dir, "node_modules", "msw"))).toBe(false);
  });

  it(`installs ${packageName} with msw in a fresh project: ${packageName}/msw type-checks strictly and serves the example and an override`, async () => {
    const { dir } = await consumer(registry, packageName, `^${major}`, { msw: mswRange });
    const init = exampleInit();
    const [success, refusal] = responsesOf(document, operation).filter(({ status }) => /^\d{3}$/.test(status));
    await writeFile(
      path.join(dir, "main.ts"),
      `import { createClient } from "${packageName}";
import { handlers, override } from "${packageName}/msw";
import { setupServer } from "msw/node";

const server = setupServer(...handlers);
server.listen({ onUnhandledFrame: "error" });
const client = createClient({ apiKey: "consumer-key" });
const first = await client.${operation.id}(${JSON.stringify(init)});
server.use(override("${operation.id}", { status: ${refusal!.status} }));
const second = await client.${operation.id}(${JSON.stringify(init)});
server.close();
console.log(JSON.stringify({ first: { status: first.status, data: first.data }, second: second.status }));
// @ts-expect-error a status the spec does not document for the operation
override("${operation.id}", { status: 599 });
`,
    );
    const compiled = await tsc(dir);
    expect(compiled.all).toBe("");
    expect(compiled.exitCode).toBe(0);
    const run = await execa("node", ["main.ts"], { cwd: dir });
    expect(JSON.parse(run.stdout)).toEqual({
      first: { status: Number(success!.status), data: success!.firstExample?.value },
      second: Number(refusal!.status),
    });
  });

  // The budget the package's own bundle test holds it to: the runtime's, each operation's and each scheme's.
  const budget = clientBundleBudgetFor({
    operations: operationsOf(document).length,
    schemes: sentSchemesOf(document).length,
  });
  it(`ships ${packageName} within openapi-fetch alone + ${budget} bytes up front, bundled as an app does`, async () => {
    const { dir } = installed;
    const client = await bundleSize(`export { createClient } from "${packageName}";`, dir);
    const openapiFetch = await bundleSize(`export { default } from "openapi-fetch";`, dir);
    expect(client.initial - openapiFetch.initial).toBeLessThanOrEqual(budget);
    // The response validators load only when a call asks for validation: a chunk of their own.
    expect(client.lazy).toBeGreaterThan(0);
  });

  it(`publishes types of ${packageName} that resolve for Node and bundlers (arethetypeswrong)`, async () => {
    const { dir } = installed;
    // The very tarball the registry serves.
    const { stdout } = await execa("npm", ["pack", `${packageName}@${firstVersion}`, "--json"], { cwd: dir });
    const [tarball] = JSON.parse(stdout) as { filename: string }[];
    const result = await execa(
      "attw",
      [path.join(dir, tarball!.filename), "--profile", "esm-only", "--format", "ascii"],
      {
        cwd: repoRoot,
        preferLocal: true,
        reject: false,
        all: true,
      },
    );
    expect(result.exitCode, result.all).toBe(0);
  });

  it("refuses a breaking change without a major bump", async () => {
    await branch("rename");
    await renameOperation();
    await expect(releaseWorkspace()).rejects.toThrow(
      new RegExp(`version gate failed[\\s\\S]*${api.id}: major changes .* need info\\.version ${major + 1}\\.0\\.0`),
    );
  });

  it(`publishes a major bump alone; ^${major} keeps ${firstVersion} while ^${major + 1} gets the renamed method`, async () => {
    const nextVersion = `${major + 1}.0.0`;
    await branch("major");
    await renameOperation(nextVersion);
    // Only the bumped client: every other package's version is on the registry already.
    const result = await releaseWorkspace();
    expect(result.published).toEqual([{ name: packageName, version: nextVersion }]);
    expect(result.unchanged.map((pkg) => pkg.name)).not.toContain(packageName);
    expect(result.unchanged).toHaveLength((await listApis(workspace)).length);

    const old = await consumer(registry, packageName, `^${major}`);
    const next = await consumer(registry, packageName, `^${major + 1}`);
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
  // npm's own retries took 78 s to end in a stack trace: the release asks the registry first.
  it("fails in one line naming the registry and the cause when nothing listens there", async () => {
    const port = await freePort();
    const registry = `http://127.0.0.1:${port}/`;
    const result = await execa(
      "node",
      [path.join(import.meta.dirname, "..", "src", "cli.ts"), "--registry", registry],
      {
        reject: false,
      },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `Cannot reach the registry ${registry} (connect ECONNREFUSED 127.0.0.1:${port}); nothing was published.`,
    );
  });

  it("prints the usage and exits 2 without --registry", async () => {
    const result = await execa("node", [path.join(import.meta.dirname, "..", "src", "cli.ts")], {
      reject: false,
      all: true,
    });
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("Usage: contracts-release");
  });
});
