import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiById, exampleCall, loadSpec, operationsOf, repoRoot } from "@contracts/registry";
import { startMocks, type Mocks } from "@contracts/mock";
import { bundledSize, clientBundleBudget } from "./bundle.ts";

const clientCoreDir = path.join(repoRoot, "packages", "client-core");

async function pack(packageDir: string, destination: string): Promise<string> {
  const before = new Set(await readdir(destination));
  await execa("npm", ["pack", "--pack-destination", destination], { cwd: packageDir });
  const tarball = (await readdir(destination)).find((file) => file.endsWith(".tgz") && !before.has(file));
  if (!tarball) throw new Error(`npm pack wrote no tarball for ${packageDir}`);
  return path.join(destination, tarball);
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
  const { name: packageName } = (await import(path.join(packageDir, "package.json"), { with: { type: "json" } })).default as { name: string };
  const example = exampleCall(document, operation);
  const init = {
    ...(Object.keys(example.pathParameters).length > 0 && { params: { path: example.pathParameters } }),
    ...(example.body !== undefined && { body: example.body }),
  };

  let consumer: string;
  let mocks: Mocks;

  beforeAll(async () => {
    consumer = await mkdtemp(path.join(tmpdir(), `consumer-${apiId}-`));
    const [coreTarball, clientTarball] = [await pack(clientCoreDir, consumer), await pack(packageDir, consumer)];
    await writeFile(
      path.join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { "@contracts/client-core": `file:${coreTarball}`, [packageName]: `file:${clientTarball}` } }),
    );
    await writeFile(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, lib: ["ES2022", "DOM"], types: [] }, include: ["*.ts"] }),
    );
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
    await execa("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: consumer });
    mocks = await startMocks({ apis: [apiId] });
  }, 120_000);

  afterAll(async () => {
    await mocks?.stop();
    if (consumer) await rm(consumer, { recursive: true, force: true });
  });

  // Real installs and compilers: seconds each, more when turbo runs other tasks beside.
  describe(`${packageName} from its npm pack tarball`, { timeout: 60_000 }, () => {
    it("compiles in a strict TypeScript project outside the workspace, and rejects misuse", async () => {
      const result = await execa(path.join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", consumer], { reject: false, all: true });
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
      const result = await execa("attw", ["--pack", packageDir, "--profile", "esm-only", "--format", "ascii"], { cwd: repoRoot, preferLocal: true, reject: false, all: true });
      expect(result.exitCode, result.all).toBe(0);
    });
  });
}
