import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientPackageDir, generate } from "@contracts/codegen";
import { type Api, repoRoot, SpecError, selectApis } from "@contracts/spec";
import semver from "semver";
import { parse } from "yaml";
import { clientCoreSource } from "./compiler.ts";
import { clientCoreDir, coreChanges } from "./core.ts";
import { defaultBase, extractAt, fileAt, resolveCommit } from "./git.ts";
import { type Change, type Impact, maxImpact } from "./model.ts";
import { clientChanges } from "./surface.ts";
import { wireChanges } from "./wire.ts";

export { changelogSection, writeChangelog } from "./changelog.ts";
export { GitError, uncommittedChanges } from "./git.ts";
export type { Change, Impact } from "./model.ts";

/** Whose version every client's dependency range follows (see emitPackageJson in tools/codegen). */
const clientCoreManifest = `${clientCoreDir}/package.json`;

export interface DiffOptions {
  /** The repository (its redocly.yaml, specs and git history). */
  root?: string;
  /** A git ref; default: the merge-base of HEAD with `main`. */
  base?: string;
  /** API ids; all APIs of the registry, and client-core, when empty. */
  apis?: string[];
  /** Where the comparison makes its scratch directory (default: the system's); it removes it when done. */
  tmpDir?: string;
}

/** What the version gate says of one package: its changes since the base and the version they need. */
export interface VersionVerdict {
  status: "unchanged" | "changed" | "new";
  baseVersion?: string;
  headVersion: string;
  /** Every change, largest impact first. */
  changes: Change[];
  /** The largest impact of the changes. */
  impact?: Impact;
  /** The least version the changes allow. */
  neededVersion?: string;
  /** The gate: the version was bumped as far as the changes need. */
  ok: boolean;
  /** One line naming the package, what was needed and what was found. */
  verdict: string;
}

/** An API's verdict: its spec's `info.version` (the changes leave out the edit of `info.version` itself). */
export interface ApiDiff extends VersionVerdict {
  id: string;
  /** The spec, relative to the root. */
  specFile: string;
}

export interface DiffResult {
  /** The base commit (abbreviated) the specs were compared with. */
  base: string;
  apis: ApiDiff[];
  /** client-core's verdict: the version in its package.json, bumped by hand (judged when no API is named). */
  clientCore?: VersionVerdict;
  ok: boolean;
}

/** The spec's `info.version`; a spec that is not YAML is a SpecError naming `file:line:col`. */
function infoVersion(api: Api, specText: string, file: string): string {
  let document: { info?: { version?: unknown } } | null;
  try {
    document = parse(specText) as typeof document;
  } catch (error) {
    const [at] = (error as { linePos?: { line: number; col: number }[] }).linePos ?? [];
    throw new SpecError(api, [
      `${file}${at ? `:${at.line}:${at.col}` : ""} ${(error as Error).message.split("\n")[0]}`,
    ]);
  }
  return String(document?.info?.version ?? "");
}

/** Each changed dependency of the package.json in `baseDir` and `headDir`: a patch change. */
async function dependencyChanges(baseDir: string, headDir: string, source: Change["source"]): Promise<Change[]> {
  const dependencies = async (dir: string) =>
    (JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> })
      .dependencies ?? {};
  const [before, after] = [await dependencies(baseDir), await dependencies(headDir)];
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((name) => before[name] !== after[name])
    .map((name) => ({
      impact: "patch",
      source,
      pointer: `package.json#/dependencies/${name}`,
      message: `dependency ${name} ${before[name] ?? "(none)"} -> ${after[name] ?? "(none)"}`,
    }));
}

/** What the gate names: the package, where its version is kept and how to bump it. */
interface Versioned {
  name: string;
  /** `info.version`, or `version` of a package.json. */
  field: string;
  file: string;
  fix: string;
}

/** The gate for one package: the least version its changes allow, and whether it was reached. */
function judge(
  { name, field, file, fix }: Versioned,
  baseVersion: string,
  headVersion: string,
  changes: Change[],
  baseLabel: string,
): Pick<VersionVerdict, "impact" | "neededVersion" | "ok" | "verdict"> {
  if (!semver.valid(baseVersion))
    return {
      ok: false,
      verdict: `${name}: ${field} "${baseVersion}" at ${baseLabel} is not a semver version (x.y.z); fix it at the base or pass another --base.`,
    };
  if (!semver.valid(headVersion))
    return {
      ok: false,
      verdict: `${name}: ${field} "${headVersion}" in ${file} is not a semver version (x.y.z).`,
    };
  const impact = changes.reduce<Impact | undefined>((largest, change) => maxImpact(largest, change.impact), undefined);
  const neededVersion = impact ? semver.inc(baseVersion, impact)! : baseVersion;
  const needed = impact
    ? `${impact} changes since ${baseLabel} need ${field} ${neededVersion} or later`
    : `no contract change since ${baseLabel}: ${field} may not go below ${baseVersion}`;
  const ok = semver.gte(headVersion, neededVersion);
  const verdict = ok
    ? `${name}: ${needed}; found ${headVersion}: ok.`
    : `${name}: ${needed} in ${file}; found ${headVersion}. ${fix}`;
  return { ...(impact && { impact }), neededVersion, ok, verdict };
}

const impactOrder: Record<Impact, number> = { major: 0, minor: 1, patch: 2 };
const largestFirst = (changes: Change[]) => changes.sort((a, b) => impactOrder[a.impact] - impactOrder[b.impact]);

const versionOf = (manifest: string) => String((JSON.parse(manifest) as { version?: unknown }).version ?? "");

/**
 * client-core's public surface at the base against the working tree's, and the gate on its
 * package.json version: it has its own semver, bumped by hand.
 */
async function diffClientCore(
  root: string,
  apis: Api[],
  baseCommit: string,
  baseLabel: string,
  workDir: string,
): Promise<VersionVerdict> {
  const headDir = path.join(root, clientCoreDir);
  const headVersion = versionOf(await readFile(path.join(root, clientCoreManifest), "utf8"));
  const extracted = path.join(workDir, "base");
  await mkdir(extracted, { recursive: true });
  await extractAt(root, baseCommit, [clientCoreManifest, `${clientCoreDir}/src`], extracted);
  const baseDir = path.join(extracted, clientCoreDir);
  if (!existsSync(path.join(baseDir, clientCoreSource)) || !existsSync(path.join(baseDir, "package.json")))
    return {
      status: "new",
      headVersion,
      changes: [],
      ok: true,
      verdict: `client-core: new since ${baseLabel}, first version ${headVersion}.`,
    };
  const baseVersion = versionOf(await readFile(path.join(baseDir, "package.json"), "utf8"));
  const changes = largestFirst([
    ...(await coreChanges(root, apis, baseDir, headDir, workDir)),
    ...(await dependencyChanges(baseDir, headDir, "client-core")),
  ]);
  if (changes.length === 0 && headVersion === baseVersion)
    return {
      status: "unchanged",
      baseVersion,
      headVersion,
      changes,
      ok: true,
      verdict: `client-core: unchanged since ${baseLabel}.`,
    };
  const versioned = {
    name: "client-core",
    field: "version",
    file: clientCoreManifest,
    fix: "Bump it by hand, then run `npm run generate` (every client's dependency range follows it).",
  };
  const judged = judge(versioned, baseVersion, headVersion, changes, baseLabel);
  return { status: changes.length > 0 ? "changed" : "unchanged", baseVersion, headVersion, changes, ...judged };
}

/** The parts of a repository that generation reads, copied from the working tree. */
async function copyWorkingTree(root: string, entries: string[], destination: string): Promise<void> {
  for (const entry of entries) {
    const source = path.join(root, entry);
    if (!existsSync(source)) continue;
    await cp(source, path.join(destination, entry), {
      recursive: true,
      filter: (file) => !/[/\\](node_modules|\.turbo|\.reports|dist)([/\\]|$)/.test(file),
    });
  }
}

/** What every API's comparison shares. */
interface Comparison {
  root: string;
  baseCommit: string;
  baseLabel: string;
  baseRegistry: { apis?: Record<string, { root?: string }> } | null;
  /** Whether client-core's version moved: every client's dependency range then changes. */
  coreMoved: boolean;
  /** A directory of the comparison's own, made on first use. */
  work: () => Promise<string>;
}

/** One API: its spec at the base against the working tree's, wire and generated client. */
async function diffApi(
  { root, baseCommit, baseLabel, baseRegistry, coreMoved, work }: Comparison,
  api: Api,
): Promise<ApiDiff> {
  const specFile = path.relative(root, api.specPath).split(path.sep).join("/");
  const headText = await readFile(api.specPath, "utf8");
  const headVersion = infoVersion(api, headText, specFile);
  const baseSpecFile = baseRegistry?.apis?.[api.id]?.root;
  const baseText =
    baseSpecFile === undefined ? undefined : await fileAt(root, baseCommit, path.posix.normalize(baseSpecFile));
  if (baseText === undefined)
    return {
      id: api.id,
      specFile,
      status: "new",
      headVersion,
      changes: [],
      ok: true,
      verdict: `${api.id}: new since ${baseLabel}, first version ${headVersion}.`,
    };
  const baseVersion = infoVersion(api, baseText, `${baseLabel}:${baseSpecFile}`);
  if (baseText === headText && !coreMoved)
    return {
      id: api.id,
      specFile,
      status: "unchanged",
      baseVersion,
      headVersion,
      changes: [],
      ok: true,
      verdict: `${api.id}: unchanged since ${baseLabel}.`,
    };
  const apiDir = path.join(await work(), "apis", api.id);
  const baseRoot = path.join(apiDir, "base");
  const headRoot = path.join(apiDir, "head");
  await mkdir(baseRoot, { recursive: true });
  const generationInputs = (specPath: string) => ["redocly.yaml", clientCoreManifest, path.posix.dirname(specPath)];
  await extractAt(root, baseCommit, generationInputs(path.posix.normalize(baseSpecFile!)), baseRoot);
  if (!existsSync(path.join(baseRoot, clientCoreManifest))) await copyWorkingTree(root, [clientCoreManifest], baseRoot);
  await copyWorkingTree(root, generationInputs(specFile), headRoot);

  const label = (file: string) =>
    file.startsWith(baseRoot) ? `${baseLabel}:${path.relative(baseRoot, file)}` : path.relative(root, file);
  const baseClient = clientPackageDir({ id: api.id, root: baseRoot });
  const headClient = clientPackageDir({ id: api.id, root: headRoot });
  // Both clients compile against the working tree's client-core: only the spec's part of a change
  // shows here; client-core's own part has its own verdict.
  const core = path.join(root, clientCoreDir, clientCoreSource);
  const compare = async () => {
    await generate({ root: baseRoot, apis: [api.id] });
    await generate({ root: headRoot, apis: [api.id] });
    return clientChanges({ dir: baseClient, core }, { dir: headClient, core }, apiDir);
  };
  // redocly diff runs in its own process while this one generates and compiles the clients.
  const [wire, client] = await Promise.all([
    baseText === headText ? [] : wireChanges(path.join(baseRoot, baseSpecFile!), api.specPath, label),
    compare(),
  ]);
  const changes = largestFirst([
    ...wire.filter((change) => change.pointer !== "/info/version"),
    ...client,
    ...(await dependencyChanges(baseClient, headClient, "client")),
  ]);
  const versioned = {
    name: api.id,
    field: "info.version",
    file: specFile,
    fix: "Bump info.version, run `npm run generate`, then `npm run changelog`.",
  };
  const judged = judge(versioned, baseVersion, headVersion, changes, baseLabel);
  return { id: api.id, specFile, status: "changed", baseVersion, headVersion, changes, ...judged };
}

/**
 * Compares every spec (or those of `apis`) with the base: wire changes by `redocly diff`,
 * the generated client's exports by the TypeScript compiler, and the gate on `info.version`;
 * with no API named, client-core's exports too, and the gate on its version.
 * A spec identical to its base costs one `git show`: nothing is generated then.
 */
export async function diffApis(options: DiffOptions = {}): Promise<DiffResult> {
  const root = options.root ?? repoRoot;
  const baseCommit = options.base ? await resolveCommit(root, options.base) : await defaultBase(root);
  const baseLabel = baseCommit.slice(0, 12);
  const apis = await selectApis(options.apis, root);
  const baseRegistry = parse((await fileAt(root, baseCommit, "redocly.yaml")) ?? "{}") as Comparison["baseRegistry"];
  const baseCoreManifest = await fileAt(root, baseCommit, clientCoreManifest);
  const headCoreManifest = await readFile(path.join(root, clientCoreManifest), "utf8");
  const coreMoved = baseCoreManifest !== undefined && versionOf(baseCoreManifest) !== versionOf(headCoreManifest);

  let workDir: string | undefined;
  const work = async () => (workDir ??= await mkdtemp(path.join(options.tmpDir ?? tmpdir(), "contracts-diff-")));
  const comparison: Comparison = { root, baseCommit, baseLabel, baseRegistry, coreMoved, work };
  try {
    const clientCore = options.apis?.length
      ? undefined
      : await diffClientCore(root, apis, baseCommit, baseLabel, path.join(await work(), "client-core"));
    const results: ApiDiff[] = [];
    for (const api of apis) results.push(await diffApi(comparison, api));
    return {
      base: baseLabel,
      apis: results,
      ...(clientCore && { clientCore }),
      ok: results.every((result) => result.ok) && (clientCore?.ok ?? true),
    };
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

/** The report a user reads: every change of client-core and of every changed API, then the gate's verdicts. */
export function formatReport(result: DiffResult): string {
  const packages = [
    ...(result.clientCore ? [{ title: `client-core (${clientCoreManifest})`, ...result.clientCore }] : []),
    ...result.apis.map((api) => ({ title: `${api.id} (${api.specFile})`, ...api })),
  ];
  const lines: string[] = [];
  for (const changed of packages) {
    if (changed.status !== "changed" || changed.changes.length === 0) continue;
    lines.push(
      `${changed.title} ${changed.baseVersion} -> ${changed.headVersion}: ${changed.changes.length} change(s)`,
    );
    for (const change of changed.changes) {
      const where = [change.operation, change.pointer].filter(Boolean).join("  ");
      lines.push(`  ${change.impact.padEnd(5)}  ${change.source.padEnd(11)}  ${where}`);
      lines.push(`         ${change.message}${change.location ? `  (${change.location})` : ""}`);
    }
    lines.push("");
  }
  for (const judged of packages) lines.push(`${judged.ok ? "ok  " : "FAIL"} ${judged.verdict}`);
  return lines.join("\n");
}
