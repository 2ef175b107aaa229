import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { contractCases, sendCase } from "@contracts/cases";
import { generate } from "@contracts/codegen";
import { corpusRoot } from "@contracts/fixtures";
import { startMocks } from "@contracts/mock";
import { type Api, clientPackageDir, listApis, loadSpec, repoRoot } from "@contracts/spec";
import { build } from "esbuild";
import type { HttpHandler } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

/** Where the handlers serve: a host no request could reach. */
const mswBaseUrl = "http://msw.corpus.test";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "corpus-mocks-"));
  await cp(corpusRoot, root, { recursive: true });
  // Generation takes the clients' versions of client-core, openapi-fetch and msw from its manifest.
  const manifest = path.join("packages", "client-core", "package.json");
  await cp(path.join(repoRoot, manifest), path.join(root, manifest));
  const { failures } = await generate({ root });
  expect(failures).toEqual([]);
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The generated package's `./msw` entry, bundled from its sources (client-core and msw from this repository). */
async function handlersOf(api: Api): Promise<HttpHandler[]> {
  const dir = clientPackageDir({ id: api.id, root });
  const bundled = await build({
    entryPoints: [path.join(dir, "src", "msw.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    logLevel: "silent",
    nodePaths: [path.join(repoRoot, "node_modules")],
    // The test's own msw, which its server runs the handlers with: imported where it is installed.
    plugins: [
      {
        name: "this-msw",
        setup(builder) {
          builder.onResolve({ filter: /^msw$/ }, () => ({
            path: pathToFileURL(require.resolve("msw")).href,
            external: true,
          }));
        },
      },
    ],
  });
  const file = path.join(dir, "msw.bundle.mjs");
  await writeFile(file, bundled.outputFiles[0]!.text);
  const entry = (await import(pathToFileURL(file).href)) as {
    createHandlers: (options: { baseUrl: string }) => HttpHandler[];
  };
  return entry.createHandlers({ baseUrl: mswBaseUrl });
}

// Every derived case of every corpus spec gets one status from both mocks (see the corpus README).
describe("the generated MSW handlers and the Prism mock answer every corpus spec alike", async () => {
  it.each((await listApis(corpusRoot)).map((api) => [api.id, api] as const))("%s", async (_id, api) => {
    const scratchApi = (await listApis(root)).find((candidate) => candidate.id === api.id)!;
    const document = await loadSpec(scratchApi);
    const server = setupServer(...(await handlersOf(scratchApi)));
    // The Prism mock's requests (loopback) pass through.
    server.listen({ onUnhandledFrame: "bypass" });
    const mocks = await startMocks({ apis: [api.id], root });
    try {
      const differences: string[] = [];
      for (const kase of contractCases(document, { randomBodies: 20 })) {
        const [ours, prism] = await Promise.all([sendCase(mswBaseUrl, kase), sendCase(mocks.urls[api.id]!, kase)]);
        if (ours.status !== prism.status)
          differences.push(`${kase.operationId}, ${kase.name}: ${ours.status} from MSW, ${prism.status} from Prism`);
      }
      expect(differences).toEqual([]);
    } finally {
      server.close();
      await mocks.stop();
    }
  });
});
