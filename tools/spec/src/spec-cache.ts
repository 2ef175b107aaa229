import { createHash } from "node:crypto";
import { lstat, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { OpenAPI3 } from "openapi-typescript";
import { type Api, lintRulesFile } from "./apis.ts";

/**
 * What `loadSpec` concluded about a spec that passed, kept per content: the bundled document and
 * the hash of every file it was read from. Until one of those files, the rules (`redocly.yaml`,
 * `lint-rules.yaml`) or the linter's version changes, loading the spec again (the mocks' start-up,
 * a generation, a test) reads the document from here instead of importing the linter and linting
 * again. Failures are never kept.
 */
interface CachedSpec {
  verdictOf: string;
  sources: Record<string, string>;
  document: OpenAPI3;
}

// node_modules/.cache is where tools keep caches that `git clean` and a fresh install drop.
export const specCacheDir = (root: string) => path.join(root, "node_modules", ".cache", "contracts-specs");
const cacheFile = (api: Api) => path.join(specCacheDir(api.root), `${api.id}.json`);

/**
 * Only an installed repository keeps verdicts: one with a node_modules of its own. A scratch copy
 * linking another's node_modules (tests do) or a folder of specs without one (the tools' test
 * fixtures) writes nothing, so no cache lands in someone else's install or in the source tree.
 */
const keepsVerdicts = (root: string) =>
  lstat(path.join(root, "node_modules")).then(
    (entry) => entry.isDirectory(),
    () => false,
  );

const sha256 = (content: string | Buffer) => createHash("sha256").update(content).digest("hex");
const hashOf = (file: string) => readFile(file).then(sha256, () => "missing");

const linterVersion = (() => {
  const require = createRequire(import.meta.url);
  return (require("@redocly/openapi-core/package.json") as { version: string }).version;
})();

/** What else a verdict rests on besides the spec's own files: the lint rules (in both files) and the linter. */
async function verdictOf(api: Api): Promise<string> {
  const rules = await Promise.all(["redocly.yaml", lintRulesFile].map((file) => hashOf(path.join(api.root, file))));
  return sha256([linterVersion, ...rules].join("\n"));
}

/** The document kept for this spec, if every file it rests on is unchanged. */
export async function cachedSpec(api: Api): Promise<OpenAPI3 | undefined> {
  if (!(await keepsVerdicts(api.root))) return undefined;
  const kept = await readFile(cacheFile(api), "utf8").then(
    (text) => JSON.parse(text) as CachedSpec,
    () => undefined,
  );
  if (!kept || kept.verdictOf !== (await verdictOf(api)) || !(api.specPath in kept.sources)) return undefined;
  for (const [file, hash] of Object.entries(kept.sources)) if ((await hashOf(file)) !== hash) return undefined;
  return kept.document;
}

/**
 * Keeps a passing verdict. A spec that references anything by URL is not kept (what a URL serves
 * can change unseen). Where the cache cannot be written (a read-only install) nothing is kept.
 */
export async function keepSpec(api: Api, files: Iterable<string>, document: OpenAPI3): Promise<void> {
  if (!(await keepsVerdicts(api.root))) return;
  const sources: Record<string, string> = {};
  for (const file of files) {
    if (!path.isAbsolute(file)) return;
    sources[file] = await hashOf(file);
  }
  const entry: CachedSpec = { verdictOf: await verdictOf(api), sources, document };
  const file = cacheFile(api);
  // Written aside and renamed: a process loading the same spec at once never reads half a file.
  const staged = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(staged, JSON.stringify(entry));
    await rename(staged, file);
  } catch {
    // Without a cache every load lints again: slower, never wrong.
  }
}
