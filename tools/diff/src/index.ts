import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { clientPackageDir, generate } from "@contracts/codegen";
import { type Api, operationsOf, repoRoot, SpecError, selectApis } from "@contracts/spec";
import semver from "semver";
import { parse } from "yaml";
import { defaultBase, extractAt, fileAt, resolveCommit } from "./git.ts";
import { type Change, type Impact, maxImpact } from "./model.ts";
import { clientChanges } from "./surface.ts";
import { wireChanges } from "./wire.ts";

export { changelogSection, writeChangelog } from "./changelog.ts";
export { GitError, uncommittedChanges } from "./git.ts";
export type { Change, Impact } from "./model.ts";

/** Whose version every client's dependency range follows (see emitPackageJson in tools/codegen). */
const clientCoreManifest = "packages/client-core/package.json";

export interface DiffOptions {
  /** The repository (its redocly.yaml, specs and git history). */
  root?: string;
  /** A git ref; default: the merge-base of HEAD with `main`. */
  base?: string;
  /** API ids; all APIs of the registry when empty. */
  apis?: string[];
}

export interface ApiDiff {
  id: string;
  /** The spec, relative to the root. */
  specFile: string;
  status: "unchanged" | "changed" | "new";
  baseVersion?: string;
  headVersion: string;
  /** Every change, largest impact first (the spec's own `info.version` edit left out). */
  changes: Change[];
  /** The largest impact of the changes. */
  impact?: Impact;
  /** The least `info.version` the changes allow. */
  neededVersion?: string;
  /** The gate: the version was bumped as far as the changes need. */
  ok: boolean;
  /** One line naming the API, what was needed and what was found. */
  verdict: string;
}

export interface DiffResult {
  /** The base commit (abbreviated) the specs were compared with. */
  base: string;
  apis: ApiDiff[];
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

function operationNames(specText: string): Map<string, string> {
  return new Map(
    operationsOf(parse(specText)).map((operation) => [
      operation.id,
      `${operation.method.toUpperCase()} ${operation.path}`,
    ]),
  );
}

async function dependencyChanges(baseDir: string, headDir: string): Promise<Change[]> {
  const dependencies = async (dir: string) =>
    (JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> })
      .dependencies ?? {};
  const [before, after] = [await dependencies(baseDir), await dependencies(headDir)];
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((name) => before[name] !== after[name])
    .map((name) => ({
      impact: "patch",
      source: "client",
      pointer: `package.json#/dependencies/${name}`,
      message: `dependency ${name} ${before[name] ?? "(none)"} -> ${after[name] ?? "(none)"}`,
    }));
}

/** The gate for one API: the least version its changes allow, and whether it was reached. */
function judge(
  id: string,
  specFile: string,
  baseVersion: string,
  headVersion: string,
  changes: Change[],
  baseLabel: string,
): Pick<ApiDiff, "impact" | "neededVersion" | "ok" | "verdict"> {
  if (!semver.valid(baseVersion))
    return {
      ok: false,
      verdict: `${id}: info.version "${baseVersion}" at ${baseLabel} is not a semver version (x.y.z); fix it at the base or pass another --base.`,
    };
  if (!semver.valid(headVersion))
    return {
      ok: false,
      verdict: `${id}: info.version "${headVersion}" in ${specFile} is not a semver version (x.y.z).`,
    };
  const impact = changes.reduce<Impact | undefined>((largest, change) => maxImpact(largest, change.impact), undefined);
  const neededVersion = impact ? semver.inc(baseVersion, impact)! : baseVersion;
  const needed = impact
    ? `${impact} changes since ${baseLabel} need info.version ${neededVersion} or later`
    : `no contract change since ${baseLabel}: info.version may not go below ${baseVersion}`;
  const ok = semver.gte(headVersion, neededVersion);
  const verdict = ok
    ? `${id}: ${needed}; found ${headVersion}: ok.`
    : `${id}: ${needed} in ${specFile}; found ${headVersion}. Bump info.version, run \`npm run generate\`, then \`npm run changelog\`.`;
  return { ...(impact && { impact }), neededVersion, ok, verdict };
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

const impactOrder: Record<Impact, number> = { major: 0, minor: 1, patch: 2 };

/**
 * Compares every spec (or those of `apis`) with the base: wire changes by `redocly diff`,
 * the generated client's exports by the TypeScript compiler, and the gate on `info.version`.
 * A spec identical to its base costs one `git show`: nothing is generated then.
 */
export async function diffApis(options: DiffOptions = {}): Promise<DiffResult> {
  const root = options.root ?? repoRoot;
  const baseCommit = options.base ? await resolveCommit(root, options.base) : await defaultBase(root);
  const baseLabel = baseCommit.slice(0, 12);
  const apis = await selectApis(options.apis, root);
  const baseRegistry = parse((await fileAt(root, baseCommit, "redocly.yaml")) ?? "{}") as {
    apis?: Record<string, { root?: string }>;
  } | null;
  const baseCore = await fileAt(root, baseCommit, clientCoreManifest);
  const headCore = await readFile(path.join(root, clientCoreManifest), "utf8");
  const coreMoved =
    baseCore !== undefined &&
    (JSON.parse(baseCore) as { version: string }).version !== (JSON.parse(headCore) as { version: string }).version;

  let workDir: string | undefined;
  const results: ApiDiff[] = [];
  try {
    for (const api of apis) {
      const specFile = path.relative(root, api.specPath).split(path.sep).join("/");
      const headText = await readFile(api.specPath, "utf8");
      const headVersion = infoVersion(api, headText, specFile);
      const baseSpecFile = baseRegistry?.apis?.[api.id]?.root;
      const baseText =
        baseSpecFile === undefined ? undefined : await fileAt(root, baseCommit, path.posix.normalize(baseSpecFile));
      if (baseText === undefined) {
        results.push({
          id: api.id,
          specFile,
          status: "new",
          headVersion,
          changes: [],
          ok: true,
          verdict: `${api.id}: new since ${baseLabel}, first version ${headVersion}.`,
        });
        continue;
      }
      const baseVersion = infoVersion(api, baseText, `${baseLabel}:${baseSpecFile}`);
      if (baseText === headText && !coreMoved) {
        results.push({
          id: api.id,
          specFile,
          status: "unchanged",
          baseVersion,
          headVersion,
          changes: [],
          ok: true,
          verdict: `${api.id}: unchanged since ${baseLabel}.`,
        });
        continue;
      }
      if (!workDir) workDir = await mkdtemp(path.join(tmpdir(), "contracts-diff-"));
      const baseRoot = path.join(workDir, `base-${api.id}`);
      const headRoot = path.join(workDir, `head-${api.id}`);
      await mkdir(baseRoot, { recursive: true });
      const generationInputs = (specPath: string) => ["redocly.yaml", clientCoreManifest, path.posix.dirname(specPath)];
      await extractAt(root, baseCommit, generationInputs(path.posix.normalize(baseSpecFile!)), baseRoot);
      if (!existsSync(path.join(baseRoot, clientCoreManifest)))
        await copyWorkingTree(root, [clientCoreManifest], baseRoot);
      await copyWorkingTree(root, generationInputs(specFile), headRoot);

      const label = (file: string) =>
        file.startsWith(baseRoot) ? `${baseLabel}:${path.relative(baseRoot, file)}` : path.relative(root, file);
      const baseClient = clientPackageDir({ id: api.id, root: baseRoot });
      const headClient = clientPackageDir({ id: api.id, root: headRoot });
      const operations = new Map([...operationNames(baseText), ...operationNames(headText)]);
      const compare = async (dir: string) => {
        await generate({ root: baseRoot, apis: [api.id] });
        await generate({ root: headRoot, apis: [api.id] });
        return clientChanges(baseClient, headClient, dir, (operationId) => operations.get(operationId));
      };
      // redocly diff runs in its own process while this one generates and compiles the clients.
      const [wire, client] = await Promise.all([
        baseText === headText ? [] : wireChanges(path.join(baseRoot, baseSpecFile!), api.specPath, label),
        compare(workDir),
      ]);
      const changes = [
        ...wire.filter((change) => change.pointer !== "/info/version"),
        ...client,
        ...(await dependencyChanges(baseClient, headClient)),
      ].sort((a, b) => impactOrder[a.impact] - impactOrder[b.impact]);
      const judged = judge(api.id, specFile, baseVersion, headVersion, changes, baseLabel);
      results.push({ id: api.id, specFile, status: "changed", baseVersion, headVersion, changes, ...judged });
    }
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
  return { base: baseLabel, apis: results, ok: results.every((result) => result.ok) };
}

/** The report a user reads: every change of every changed API, then the gate's verdicts. */
export function formatReport(result: DiffResult): string {
  const lines: string[] = [];
  for (const api of result.apis) {
    if (api.status !== "changed") continue;
    lines.push(`${api.id} (${api.specFile}) ${api.baseVersion} -> ${api.headVersion}: ${api.changes.length} change(s)`);
    for (const change of api.changes) {
      const where = [change.operation, change.pointer].filter(Boolean).join("  ");
      lines.push(`  ${change.impact.padEnd(5)}  ${change.source.padEnd(6)}  ${where}`);
      lines.push(`         ${change.message}${change.location ? `  (${change.location})` : ""}`);
    }
    lines.push("");
  }
  for (const api of result.apis) lines.push(`${api.ok ? "ok  " : "FAIL"} ${api.verdict}`);
  return lines.join("\n");
}
