import { readFile } from "node:fs/promises";
import path from "node:path";
import { clientPackageDir, loadSpec, repoRoot, selectApis } from "@contracts/spec";
import { emitCallTypeTests } from "./emit/call-tests.ts";
import { emitClientModule } from "./emit/client.ts";
import { emitIndexModule } from "./emit/index.ts";
import {
  emitBrowserTest,
  emitMockModule,
  emitMswExample,
  emitMswModule,
  emitRequestValidatorsModule,
} from "./emit/msw.ts";
import { emitPackageJson, emitTsconfig, emitTsconfigBuild, emitTurboJson, emitVitestConfig } from "./emit/package.ts";
import { emitReadme } from "./emit/readme.ts";
import { emitSchemaTypes } from "./emit/schema.ts";
import { emitSurface } from "./emit/surface.ts";
import { emitBundleTest, emitContractTest, emitReadmeExample, emitTypeTests } from "./emit/tests.ts";
import { emitValidatorsModule } from "./emit/validators.ts";
import { type GeneratedFile, type StaleFile, staleFiles, writePackage } from "./files.ts";
import { type ApiModel, apiModel } from "./model.ts";
import { surfaceFile } from "./surface.ts";

export { clientPackageDir, SpecError, UnknownApiError } from "@contracts/spec";
export type { StaleFile } from "./files.ts";
export { type ClientSurface, type OperationSurface, readSurface, surfaceFile } from "./surface.ts";

/** What a client takes from client-core's manifest: its version, the openapi-fetch range it is built on, and the msw range of its mocks. */
export interface ClientCoreManifest {
  version: string;
  dependencies: { "openapi-fetch": string };
  peerDependencies: { msw: string };
}

async function clientCoreManifest(root: string): Promise<ClientCoreManifest> {
  const file = path.join(root, "packages", "client-core", "package.json");
  const manifest = JSON.parse(await readFile(file, "utf8")) as Partial<ClientCoreManifest>;
  if (!manifest.version || !manifest.dependencies?.["openapi-fetch"] || !manifest.peerDependencies?.msw)
    throw new Error(
      `${file} needs a version, an openapi-fetch dependency and an msw peer dependency: the clients take all three from it.`,
    );
  return manifest as ClientCoreManifest;
}

/** Every file of an API's client package, by path. */
export async function packageFiles(api: ApiModel, core: ClientCoreManifest, root: string): Promise<GeneratedFile[]> {
  const files: Record<string, string> = {
    "package.json": emitPackageJson(api, core),
    "tsconfig.json": emitTsconfig(),
    "tsconfig.build.json": emitTsconfigBuild(),
    "turbo.json": emitTurboJson(api),
    "vitest.config.ts": emitVitestConfig(api),
    "README.md": emitReadme(api),
    "src/index.ts": emitIndexModule(api),
    "src/generated/schema.ts": await emitSchemaTypes(api),
    "src/generated/client.ts": emitClientModule(api),
    "src/generated/validators.ts": await emitValidatorsModule(api),
    "src/msw.ts": emitMswModule(api),
    "src/generated/mock.ts": emitMockModule(api),
    "src/generated/request-validators.ts": await emitRequestValidatorsModule(api),
    [surfaceFile]: emitSurface(api),
    "test/types.test-d.ts": emitTypeTests(api),
    "test/calls.test-d.ts": emitCallTypeTests(api),
    "test/readme-example.ts": emitReadmeExample(api),
    "test/msw-example.ts": emitMswExample(api),
    "test/msw-browser.test.ts": emitBrowserTest(api),
    "test/contract.test.ts": emitContractTest(api),
    "test/bundle.test.ts": emitBundleTest(api),
  };
  const dir = clientPackageDir({ id: api.id, root });
  return Object.entries(files).map(([file, content]) => ({ path: path.join(dir, file), content }));
}

export interface GenerateOptions {
  /** API ids; all APIs of the registry when empty. */
  apis?: string[];
  /** Compare with the files on disk instead of writing. */
  check?: boolean;
  /** The repository to generate in (its redocly.yaml, specs and packages). */
  root?: string;
}

export interface GenerateResult {
  /** The APIs generated (or checked), in registry order: every API asked for but the failures. */
  apis: string[];
  /** Files written (generate) or that would be (check). */
  changed: string[];
  /** Files that differ from what their spec generates (check only). */
  stale: StaleFile[];
  /** The APIs that could not be generated, each with why (a `SpecError` names the file and the place). */
  failures: GenerateFailure[];
}

export interface GenerateFailure {
  api: string;
  error: Error;
}

/**
 * Generates the client package of each API, one API at a time: one that cannot be generated is
 * reported in `failures` and the others are generated all the same. Each package is replaced
 * all or nothing (see `writePackage`), so a failed API leaves its package as it was.
 */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const root = options.root ?? repoRoot;
  const apis = await selectApis(options.apis, root);
  const core = await clientCoreManifest(root);
  const result: GenerateResult = { apis: [], changed: [], stale: [], failures: [] };
  for (const api of apis) {
    try {
      const files = await packageFiles(apiModel(api, await loadSpec(api)), core, root);
      if (options.check) {
        const stale = await staleFiles(files);
        result.stale.push(...stale);
        result.changed.push(...stale.map((file) => file.path));
      } else {
        result.changed.push(...(await writePackage(clientPackageDir({ id: api.id, root }), files)));
      }
      result.apis.push(api.id);
    } catch (error) {
      result.failures.push({ api: api.id, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return result;
}
