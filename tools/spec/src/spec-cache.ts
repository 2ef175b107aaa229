import { createHash } from "node:crypto";
import { lstat, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { OpenAPI3 } from "openapi-typescript";
import { parse } from "yaml";
import type { Api } from "./apis.ts";
import { lintRulesFile } from "./lint-rules.ts";
import { redoclyVersion } from "./redocly.ts";

/**
 * What `loadSpec` concluded about a spec that passed, kept per content: the bundled document and
 * the hash of every file it was read from. Until one of those files, the rules (`redocly.yaml`,
 * `lint-rules.yaml`) or Redocly's version changes, loading the spec again (the mocks' start-up, a
 * generation, a test) reads the document from here instead of running Redocly again. Failures are
 * never kept.
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
export const keepsVerdicts = (root: string) =>
  lstat(path.join(root, "node_modules")).then(
    (entry) => entry.isDirectory(),
    () => false,
  );

const sha256 = (content: string | Buffer) => createHash("sha256").update(content).digest("hex");
const hashOf = (file: string) => readFile(file).then(sha256, () => "missing");

/** What else a verdict rests on besides the spec's own files: the lint rules (in both files) and the linter. */
async function verdictOf(api: Api): Promise<string> {
  const rules = await Promise.all(["redocly.yaml", lintRulesFile].map((file) => hashOf(path.join(api.root, file))));
  return sha256([redoclyVersion, ...rules].join("\n"));
}

/**
 * What a verdict rests on, taken once before the spec is linted: the lint rules and Redocly's
 * version, and the hash of the spec's every file. A verdict is kept under the fingerprint taken
 * before the lint, so a file saved while Redocly ran is never kept as judged. Undefined where the
 * spec reaches a URL (what a URL serves can change unseen): such a spec is linted each time.
 */
export interface SpecFingerprint {
  verdictOf: string;
  sources: Record<string, string>;
}

export async function fingerprintOf(api: Api): Promise<SpecFingerprint | undefined> {
  return (await sourcesOf(api)).fingerprint;
}

/** The files a spec is read from, and its fingerprint (undefined where it reaches a URL), taken in one pass. */
export interface SpecSources {
  /** The spec's root file first, then every local file its `$ref`s reach, absolute. */
  files: string[];
  fingerprint: SpecFingerprint | undefined;
}

export async function sourcesOf(api: Api): Promise<SpecSources> {
  const { files, remote } = await filesOf(api.specPath);
  if (remote) return { files, fingerprint: undefined };
  const sources: Record<string, string> = {};
  for (const file of files) sources[file] = await hashOf(file);
  return { files, fingerprint: { verdictOf: await verdictOf(api), sources } };
}

/**
 * A root that keeps no verdicts on disk keeps them for the life of the process instead, by
 * content: loading an unchanged fixture again, or a scratch copy of it, would otherwise cost
 * Redocly's processes again. Copies go in and out: a caller may change the document it gets.
 */
const keptInMemory = new Map<string, OpenAPI3>();

/** A fingerprint as one key for the in-memory verdicts: the API id, and each file by its place in the root. */
const memoryKey = (api: Api, { verdictOf, sources }: SpecFingerprint) =>
  sha256(
    [
      verdictOf,
      api.id,
      ...Object.entries(sources).flatMap(([file, hash]) => [path.relative(api.root, file), hash]),
    ].join("\n"),
  );

const sameSources = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([file, hash]) => b[file] === hash);

/** The document kept for this spec under this fingerprint, if any. */
export async function cachedSpec(api: Api, fingerprint: SpecFingerprint): Promise<OpenAPI3 | undefined> {
  if (!(await keepsVerdicts(api.root))) {
    const kept = keptInMemory.get(memoryKey(api, fingerprint));
    return kept && structuredClone(kept);
  }
  const kept = await readFile(cacheFile(api), "utf8").then(
    (text) => JSON.parse(text) as CachedSpec,
    () => undefined,
  );
  if (!kept || kept.verdictOf !== fingerprint.verdictOf || !sameSources(kept.sources, fingerprint.sources))
    return undefined;
  return kept.document;
}

/** Every `$ref` value in a parsed file. */
function refsIn(node: unknown, refs: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsIn(item, refs);
  else if (node && typeof node === "object")
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") refs.push(value);
      else refsIn(value, refs);
    }
  return refs;
}

/**
 * The spec's file first and every local file its `$ref`s reach, and whether one reaches a URL
 * (what a URL serves can change unseen).
 */
async function filesOf(specPath: string): Promise<{ files: string[]; remote: boolean }> {
  const files = new Set<string>();
  let remote = false;
  const pending = [specPath];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    let refs: string[];
    try {
      refs = refsIn(parse(await readFile(file, "utf8")));
    } catch {
      continue; // missing, or not YAML (a Markdown page a description pulls in): hashed, not followed
    }
    for (const ref of refs) {
      const target = ref.split("#")[0]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) remote = true;
      else if (target) pending.push(path.resolve(path.dirname(file), decodeURIComponent(target)));
    }
  }
  return { files: [...files], remote };
}

/**
 * Keeps a passing verdict under the fingerprint taken before the lint. Where the cache cannot be
 * written (a read-only install) nothing is kept.
 */
export async function keepSpec(api: Api, fingerprint: SpecFingerprint, document: OpenAPI3): Promise<void> {
  if (!(await keepsVerdicts(api.root))) {
    keptInMemory.set(memoryKey(api, fingerprint), structuredClone(document));
    return;
  }
  const entry: CachedSpec = { ...fingerprint, document };
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
