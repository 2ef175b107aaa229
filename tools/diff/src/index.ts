import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientPackageDir, generate, surfaceFile } from "@contracts/codegen";
import { type Api, lintRulesFile, repoRoot, SpecError, selectApis } from "@contracts/spec";
import { parse } from "yaml";
import { clientCoreSource } from "./compiler.ts";
import { clientCoreDir, clientCoreManifest, diffClientCore } from "./core.ts";
import { dependencyChanges, judge, largestFirst, type VersionVerdict, versionOf } from "./gate.ts";
import { defaultBase, extractAt, fileAt, resolveCommit, sameAsCommit } from "./git.ts";
import { clientChanges } from "./surface.ts";
import { wireChanges } from "./wire.ts";

export { changelogSection, writeChangelog } from "./changelog.ts";
export type { VersionVerdict } from "./gate.ts";
export { GitError, uncommittedChanges } from "./git.ts";
export type { Change, Impact } from "./model.ts";

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

/** Generates one API's client in `root`; a spec that cannot be generated throws its located error. */
async function generateClient(root: string, id: string): Promise<void> {
  const { failures } = await generate({ root, apis: [id] });
  if (failures[0]) throw failures[0].error;
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
  // The client as committed: a generator or client-core change shows there even with the spec unchanged.
  const clientDir = path.relative(root, clientPackageDir(api)).split(path.sep).join("/");
  const committedClient = [`${clientDir}/src`, `${clientDir}/package.json`];
  const generatedSame = await sameAsCommit(root, baseCommit, [...committedClient, clientCoreDir]);
  if (baseText === headText && !coreMoved && generatedSame)
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
  const generationInputs = (specPath: string) => [
    "redocly.yaml",
    lintRulesFile,
    clientCoreManifest,
    path.posix.dirname(specPath),
  ];
  await extractAt(root, baseCommit, generationInputs(path.posix.normalize(baseSpecFile!)), baseRoot);
  if (!existsSync(path.join(baseRoot, clientCoreManifest))) await copyWorkingTree(root, [clientCoreManifest], baseRoot);
  await copyWorkingTree(root, generationInputs(specFile), headRoot);

  const label = (file: string) =>
    file.startsWith(baseRoot) ? `${baseLabel}:${path.relative(baseRoot, file)}` : path.relative(root, file);
  const baseClient = clientPackageDir({ id: api.id, root: baseRoot });
  const headClient = clientPackageDir({ id: api.id, root: headRoot });
  const headCore = path.join(root, clientCoreDir, clientCoreSource);
  /**
   * The base's client as its callers had it: the package the base commit holds, built by the
   * base's generator on the base's client-core, so that a change of either is judged with the
   * spec's. Without a committed client (or with a spec edit only), the base spec generated here.
   */
  const baseSide = async () => {
    if (generatedSame || (await fileAt(root, baseCommit, `${clientDir}/package.json`)) === undefined) {
      await generateClient(baseRoot, api.id);
      return { dir: baseClient, core: headCore };
    }
    await extractAt(root, baseCommit, [...committedClient, `${clientCoreDir}/src`], baseRoot);
    const core = path.join(baseRoot, clientCoreDir, clientCoreSource);
    if (!existsSync(path.join(baseClient, surfaceFile))) {
      // A base from before the surface was declared: the declaration the base spec gets now names the same exports.
      const declared = path.join(apiDir, "base-declared");
      await mkdir(declared);
      await extractAt(root, baseCommit, generationInputs(path.posix.normalize(baseSpecFile!)), declared);
      await copyWorkingTree(root, [clientCoreManifest], declared);
      await generateClient(declared, api.id);
      await cp(
        path.join(clientPackageDir({ id: api.id, root: declared }), surfaceFile),
        path.join(baseClient, surfaceFile),
      );
    }
    return { dir: baseClient, core: existsSync(core) ? core : headCore };
  };
  const compare = async () => {
    const base = await baseSide();
    await generateClient(headRoot, api.id);
    return clientChanges(base, { dir: headClient, core: headCore }, apiDir);
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
 * A spec identical to its base, with its committed client and client-core as they were, costs a
 * few git look-ups: nothing is generated then.
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
