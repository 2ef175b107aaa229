import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Api, clientPackageDir, loadSpec, repoRoot, selectApis, specFilesOf } from "@contracts/spec";
import type { ClientCoreManifest, Emitter } from "./emitter.ts";
import { type GeneratedFile, type StaleFile, staleFiles, writePackage } from "./files.ts";
import { formatted } from "./format.ts";
import type { ApiModel } from "./model.ts";
import { inputsOf, remember, upToDate } from "./stamp.ts";

export { clientPackageDir, SpecError, UnknownApiError } from "@contracts/spec";
export type { ClientCoreManifest, Emitter } from "./emitter.ts";
export type { StaleFile } from "./files.ts";
export { type ClientSurface, type OperationSurface, readSurface, surfaceFile } from "./surface.ts";

async function clientCoreManifest(root: string): Promise<ClientCoreManifest> {
  const file = path.join(root, "packages", "client-core", "package.json");
  const manifest = JSON.parse(await readFile(file, "utf8")) as Partial<ClientCoreManifest>;
  if (!manifest.version || !manifest.dependencies?.["openapi-fetch"] || !manifest.peerDependencies?.msw)
    throw new Error(
      `${file} needs a version, an openapi-fetch dependency and an msw peer dependency: the clients take all three from it.`,
    );
  return manifest as ClientCoreManifest;
}

/** Every file of an API's client package, by path: each emitter's, none written by two. */
export async function packageFiles(api: ApiModel, core: ClientCoreManifest, root: string): Promise<GeneratedFile[]> {
  const dir = clientPackageDir({ id: api.id, root });
  const written = new Map<string, Emitter>();
  const files: GeneratedFile[] = [];
  // Loaded only when a package is generated: the compilers they bring (openapi-typescript, Ajv, esbuild) cost more than an unchanged run.
  const { emitters } = await import("./emitters.ts");
  for (const emitter of emitters) {
    for (const [file, content] of Object.entries(await emitter.files(api, { core }))) {
      const other = written.get(file);
      if (other) throw new Error(`The ${other.name} and ${emitter.name} emitters both write ${file}.`);
      written.set(file, emitter);
      files.push({ path: path.join(dir, file), content });
    }
  }
  return files;
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
 * all or nothing (see `writePackage`), so a failed API leaves its package as it was. A package
 * whose spec and generator are as when it was last generated, and whose files are as written
 * then, is left alone without generating it again (see `stamp.ts`).
 */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const root = options.root ?? repoRoot;
  const apis = await selectApis(options.apis, root);
  const core = await clientCoreManifest(root);
  const result: GenerateResult = { apis: [], changed: [], stale: [], failures: [] };
  const failed = (api: Api, error: unknown) =>
    result.failures.push({ api: api.id, error: error instanceof Error ? error : new Error(String(error)) });
  const done = new Set<string>();
  const generated: { api: Api; inputs: string; files: GeneratedFile[] }[] = [];
  for (const api of apis) {
    try {
      const document = await loadSpec(api);
      // The files it was read from too: the package's turbo.json names them, and a $ref moved changes them alone.
      // The registry entry's x-pagination is read with the spec: an edit of it generates the client again.
      const inputs = await inputsOf(
        api.id,
        { document, files: specFilesOf(document), pagination: api.pagination },
        core,
      );
      if (await upToDate(root, api.id, inputs)) {
        done.add(api.id);
        continue;
      }
      const { apiModel } = await import("./model.ts");
      generated.push({ api, inputs, files: await packageFiles(apiModel(api, document), core, root) });
    } catch (error) {
      failed(api, error);
    }
  }
  // One formatter run for every package.
  const all = await formatted(generated.flatMap(({ files }) => files));
  for (const { api, inputs, files } of generated) {
    const ours = all.splice(0, files.length);
    try {
      if (options.check) {
        const stale = await staleFiles(ours);
        result.stale.push(...stale);
        result.changed.push(...stale.map((file) => file.path));
        if (stale.length === 0) await remember(root, api.id, inputs, ours);
      } else {
        result.changed.push(...(await writePackage(clientPackageDir({ id: api.id, root }), ours)));
        await remember(root, api.id, inputs, ours);
      }
      done.add(api.id);
    } catch (error) {
      failed(api, error);
    }
  }
  result.apis = apis.map((api) => api.id).filter((id) => done.has(id));
  return result;
}
