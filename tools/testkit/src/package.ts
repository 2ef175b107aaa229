import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Mocks, startMocks } from "@contracts/mock";
import { apiById, exampleCall, loadSpec, operationsOf, repoRoot } from "@contracts/spec";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledSize, clientBundleBudget } from "./bundle.ts";

const clientCoreDir = path.join(repoRoot, "packages", "client-core");

async function pack(packageDir: string, destination: string): Promise<string> {
  const { stdout } = await execa("npm", ["pack", "--json", "--pack-destination", destination], { cwd: packageDir });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (!packed) throw new Error(`npm pack wrote no tarball for ${packageDir}`);
  return path.join(destination, packed.filename);
}

/** A hash of what `npm pack` puts in the tarball: package.json and the paths its `files` lists. */
async function packedContentHash(packageDir: string): Promise<string> {
  const hash = createHash("sha256");
  const manifest = await readFile(path.join(packageDir, "package.json"));
  hash.update(manifest);
  const { files = [] } = JSON.parse(manifest.toString()) as { files?: string[] };
  for (const entry of [...files].sort()) {
    const entryPath = path.join(packageDir, entry);
    const paths = (await stat(entryPath)).isDirectory()
      ? (await readdir(entryPath, { recursive: true, withFileTypes: true }))
          .filter((file) => file.isFile())
          .map((file) => path.join(file.parentPath, file.name))
          .sort()
      : [entryPath];
    for (const file of paths) hash.update(`\0${path.relative(packageDir, file)}\0`).update(await readFile(file));
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * `npm pack` of a package every client depends on (client-core), done once per content across
 * the clients' test processes: the tarball is cached in the temp dir under its content hash.
 */
async function packShared(packageDir: string, destination: string): Promise<string> {
  const cacheDir = path.join(tmpdir(), "contracts-pack-cache", await packedContentHash(packageDir));
  await mkdir(cacheDir, { recursive: true });
  let [tarball] = (await readdir(cacheDir)).filter((file) => file.endsWith(".tgz"));
  if (!tarball) {
    // Pack beside the cache then rename, so a concurrent test process never sees half a tarball.
    const staging = await mkdtemp(path.join(tmpdir(), "contracts-pack-"));
    const packed = await pack(packageDir, staging);
    tarball = path.basename(packed);
    await rename(packed, path.join(cacheDir, tarball));
    await rm(staging, { recursive: true, force: true });
  }
  await copyFile(path.join(cacheDir, tarball), path.join(destination, tarball));
  return path.join(destination, tarball);
}

/**
 * An outside TypeScript project as a consumer of the packages sets one up: an ESM package with
 * the given dependencies (and overrides), compiled strictly against the packages' own types.
 */
export async function writeConsumerProject(dir: string, manifest: Record<string, unknown>): Promise<void> {
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", ...manifest }),
  );
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
}

/**
 * The client as a consumer gets it: packed with `npm pack`, installed from the tarball into
 * a TypeScript project outside the workspace, compiled strictly (misuse must not compile)
 * and run against a Prism mock; its published types checked with arethetypeswrong.
 */
export async function describePackage(apiId: string, packageDir: string): Promise<void> {
  const document = await loadSpec(await apiById(apiId));
  const [operation] = operationsOf(document);
  if (!operation) throw new Error(`${apiId} has no operation`);
  const { name: packageName } = (await import(path.join(packageDir, "package.json"), { with: { type: "json" } }))
    .default as { name: string };
  const example = exampleCall(document, operation);
  const init = {
    ...(Object.keys(example.pathParameters).length > 0 && { params: { path: example.pathParameters } }),
    ...(example.body !== undefined && { body: example.body }),
  };

  let consumer: string;
  let clientTarballPath: string;
  let mocks: Mocks;

  beforeAll(async () => {
    consumer = await mkdtemp(path.join(tmpdir(), `consumer-${apiId}-`));
    const [coreTarball, clientTarball] = await Promise.all([
      packShared(clientCoreDir, consumer),
      pack(packageDir, consumer),
    ]);
    clientTarballPath = clientTarball;
    const core = `file:${coreTarball}`;
    // The override points the client's own `@contracts/client-core` range at the tarball too; without it
    // npm asks the public registry for that range first (a request that fails, after a minute of retries
    // where the network needs CA settings turbo does not pass on).
    await writeConsumerProject(consumer, {
      dependencies: { "@contracts/client-core": core, [packageName]: `file:${clientTarball}` },
      overrides: { "@contracts/client-core": core },
    });
    await writeFile(
      path.join(consumer, "main.ts"),
      `import { createClient } from "${packageName}";

const client = createClient({ apiKey: "consumer-key", baseUrl: process.argv[2] });
const init = ${JSON.stringify(init)} as const;
const { data, error, response } = await client.${operation.id}(init);
console.log(JSON.stringify({ status: response.status, ok: data !== undefined, error }));
${Object.keys(init).length === 0 ? "" : `// @ts-expect-error a call without its required params and body must not compile\nawait client.${operation.id}();\n`}
declare const process: { argv: string[] };
`,
    );
    await Promise.all([
      startMocks({ apis: [apiId] }).then((started) => (mocks = started)),
      execa("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: consumer }),
    ]);
  });

  afterAll(async () => {
    await mocks?.stop();
    if (consumer) await rm(consumer, { recursive: true, force: true });
  });

  // Real installs and compilers: seconds each, more when turbo runs other tasks beside.
  describe(`${packageName} from its npm pack tarball`, () => {
    it("compiles in a strict TypeScript project outside the workspace, and rejects misuse", async () => {
      const result = await execa(path.join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", consumer], {
        reject: false,
        all: true,
      });
      expect(result.all).toBe("");
      expect(result.exitCode).toBe(0);
    });

    it(`calls ${operation.id} against the mock`, async () => {
      const result = await execa("node", ["main.ts", mocks.urls[apiId]!], { cwd: consumer });
      expect(JSON.parse(result.stdout)).toEqual({ status: 200, ok: true });
    });

    it(`bundles (esbuild, minified, gzipped) within openapi-fetch alone + ${clientBundleBudget} bytes`, async () => {
      const client = await bundledSize(`export { createClient } from "${packageName}";`, consumer);
      const openapiFetch = await bundledSize(`export { default } from "openapi-fetch";`, consumer);
      expect(client - openapiFetch).toBeLessThanOrEqual(clientBundleBudget);
    });

    it("publishes types that resolve for Node and bundlers (arethetypeswrong)", async () => {
      // The tarball packed above: the very bytes a consumer installs, without packing again.
      const result = await execa("attw", [clientTarballPath, "--profile", "esm-only", "--format", "ascii"], {
        cwd: repoRoot,
        preferLocal: true,
        reject: false,
        all: true,
      });
      expect(result.exitCode, result.all).toBe(0);
    });
  });
}
