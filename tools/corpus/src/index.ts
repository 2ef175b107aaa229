import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, realpath, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { testCredentials } from "@contracts/cases";
import { generate } from "@contracts/codegen";
import { startMocks } from "@contracts/mock";
import { apiById, clientPackageDir, listApis, loadSpec, operationsOf, repoRoot, SpecError } from "@contracts/spec";
import { formatDiagnostics, typecheckProjects } from "@contracts/typecheck";
import {
  formatCoverage,
  reportFindings,
  reportPasses,
  specDefectLines,
  type VerifyReport,
  verify,
} from "@contracts/verify";
import type { OpenAPI3 } from "openapi-typescript";
import ts from "typescript";

/**
 * What every spec goes through, in order. Lint and generate each run only where the stage before
 * passed; build, typecheck and type tests each run on every generated package; mock (its mock
 * starts) on every linted spec, and verify (`verify --write` against that mock) where it started.
 */
export const stages = ["lint", "generate", "build", "typecheck", "type tests", "mock", "verify"] as const;
export type Stage = (typeof stages)[number];

export interface StageResult {
  stage: Stage;
  /**
   * `not run`: an earlier stage failed, so this one had nothing to work on; `not applicable`: the
   * spec has nothing for it (a spec of webhooks alone has no operation to mock or verify).
   */
  status: "passed" | "failed" | "not run" | "not applicable";
  /** Each problem located as its tool reports it (file:line:col, or tsc's file(line,col)). */
  problems: string[];
}

export interface SpecResult {
  api: string;
  stages: StageResult[];
  /** What verify's cases reached of each operation (`formatCoverage`), after the spec's own defects they showed, when verify ran. */
  coverage?: string;
}

export interface RunStagesOptions {
  /** The registry: a folder whose redocly.yaml lists the specs (paths relative to it). */
  registry: string;
  /** Keep the scratch workspace (for reading the generated packages) instead of removing it. */
  keep?: boolean;
}

export interface RunStagesResult {
  specs: SpecResult[];
  /** The scratch workspace, when kept. */
  workspace?: string;
}

const clientCore = path.join(repoRoot, "packages", "client-core");

/**
 * A scratch workspace for the registry, laid out as this repository: the registry's files at its
 * root, the generated packages under packages/clients, this repository's client-core, its
 * tsconfig.base.json (strict, and its `paths` to client-core's and the clients' sources), its vitest
 * configuration (the generated packages' tests run there as here) and its node_modules
 * (openapi-fetch, @types/node, the built client-core the builds resolve).
 */
async function scratchWorkspace(registry: string): Promise<string> {
  const root = await realpath(await mkdtemp(path.join(tmpdir(), "contracts-stages-")));
  // Not what the registry's own repository builds or installs: the scratch's packages are generated here.
  const copied = (source: string) =>
    ![".git", ".turbo", "node_modules"].includes(path.basename(source)) && source !== path.join(registry, "packages");
  await cp(registry, root, { recursive: true, filter: copied });
  for (const shared of ["tsconfig.base.json", "vitest.shared.ts"])
    await cp(path.join(repoRoot, shared), path.join(root, shared));
  await symlink(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  await mkdir(path.join(root, "packages", "clients"), { recursive: true });
  await symlink(clientCore, path.join(root, "packages", "client-core"));
  return root;
}

const passed = (stage: Stage): StageResult => ({ stage, status: "passed", problems: [] });
const failed = (stage: Stage, problems: string[]): StageResult => ({ stage, status: "failed", problems });
const notApplicable = (stage: Stage): StageResult => ({ stage, status: "not applicable", problems: [] });

/**
 * Mock and verify of each linted spec: its mock (Prism, as `npm run mock` serves it) started, then
 * `verify --write` sends it the derived cases (valid ones per parameter location, each documented
 * status and example, the negative ones) and checks every answer's status and media type against
 * the spec, failing an operation that never answered its documented 2xx.
 */
async function liveStages(root: string, linted: readonly string[]) {
  const outcomes = new Map<string, { results: StageResult[]; coverage?: string }>();
  const documents = new Map<string, OpenAPI3>();
  for (const id of linted) {
    const document = await loadSpec(await apiById(id, root));
    if (operationsOf(document).length > 0) documents.set(id, document);
    else outcomes.set(id, { results: [notApplicable("mock"), notApplicable("verify")] });
  }
  const served = [...documents.keys()];
  if (served.length === 0) return outcomes;
  const mocks = await startMocks({ root, apis: served }).catch((error: Error) => {
    for (const id of served) outcomes.set(id, { results: [failed("mock", problemsOf(error))] });
    return undefined;
  });
  if (!mocks) return outcomes;
  try {
    for (const { id, reason } of mocks.unserved) outcomes.set(id, { results: [failed("mock", [reason])] });
    for (const { id, url } of mocks.mocks) {
      const document = documents.get(id)!;
      // A mock that stops answering fails its own spec's verify, never the run.
      const report = await verify({
        root,
        api: id,
        upstream: url,
        write: true,
        credentials: testCredentials(document, "corpus-verify-key"),
      }).catch((error: Error) => error);
      if (report instanceof Error) {
        outcomes.set(id, { results: [passed("mock"), failed("verify", problemsOf(report))] });
        continue;
      }
      const verdict = reportPasses(report) ? passed("verify") : failed("verify", reportFindings(report));
      outcomes.set(id, { results: [passed("mock"), verdict], coverage: withSpecDefects(id, report) });
    }
  } finally {
    await mocks.stop();
  }
  return outcomes;
}

/**
 * Verify's coverage, after the spec's own defects its answers showed (its examples breaking its
 * schemas, which the mock serves as written): they fail no stage, so they are told here, the first
 * three with how many more.
 */
function withSpecDefects(id: string, report: VerifyReport): string {
  const defects = specDefectLines(report);
  const told =
    defects.length === 0
      ? []
      : [
          `${id}, verify: ${defects.length} answer(s) show a defect of the spec itself, not of the toolchain:`,
          ...defects.slice(0, 3).map((line) => `  ${line}`),
          ...(defects.length > 3 ? [`  ... and ${defects.length - 3} more`] : []),
          "",
        ];
  return [...told, formatCoverage(report)].join("\n");
}

/** A refusal's located problems; anything else (a tool's bug) with its stack. */
const problemsOf = (error: Error) =>
  error instanceof SpecError ? error.problems : [error.stack ?? `${error.name}: ${error.message}`];

const located = (diagnostics: readonly ts.Diagnostic[], root: string) =>
  diagnostics.map((diagnostic) => formatDiagnostics([diagnostic], root, false).trimEnd());

/**
 * Options that one build program can share: equal once the package's own places are left out (its
 * folder, where `paths` would resolve from, counts only when there are paths).
 */
function buildKey(options: ts.CompilerOptions): string {
  const { configFilePath: _config, rootDir: _rootDir, outDir: _outDir, pathsBasePath, ...shared } = options;
  const key: ts.CompilerOptions = Object.keys(shared.paths ?? {}).length > 0 ? { ...shared, pathsBasePath } : shared;
  return JSON.stringify(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)));
}

interface BuildGroup {
  options: ts.CompilerOptions;
  dirs: string[];
  files: string[];
}

/**
 * Builds the packages as `tsc -p tsconfig.build.json` does in each (declarations included), in one
 * TypeScript program per set of equal settings (one: codegen writes the same file into every package)
 * where a `tsc` per package re-checked the libs, openapi-fetch and client-core for each. The output is
 * not kept: only the build's verdict is wanted. Each package gets the problems of its own files and
 * those its program shares.
 */
function buildPackages(dirs: readonly string[], root: string): Map<string, string[]> {
  const problems = new Map<string, string[]>(dirs.map((dir) => [dir, []]));
  const groups = new Map<string, BuildGroup>();
  for (const dir of dirs) {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(dir, "tsconfig.build.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => problems.get(dir)!.push(...located([diagnostic], root)),
      },
    );
    if (!config) continue;
    problems.get(dir)!.push(...located(config.errors, root));
    const { rootDir: _rootDir, outDir: _outDir, ...options } = config.options;
    const key = buildKey(config.options);
    const group: BuildGroup = groups.get(key) ?? { options, dirs: [], files: [] };
    group.dirs.push(dir);
    group.files.push(...config.fileNames);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const program = ts.createProgram({ rootNames: group.files, options: group.options });
    const discard = () => {};
    const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit(undefined, discard).diagnostics];
    for (const diagnostic of diagnostics) {
      const file = diagnostic.file && path.resolve(diagnostic.file.fileName);
      const owner = file && group.dirs.find((dir) => file.startsWith(dir + path.sep));
      for (const dir of owner ? [owner] : group.dirs) problems.get(dir)!.push(...located([diagnostic], root));
    }
  }
  return problems;
}

/** Build, typecheck and type tests of each generated package, by API id. */
function compileStages(generated: readonly string[], root: string): Map<string, StageResult[]> {
  const directories = generated.map((id) => clientPackageDir({ id, root }));
  const builds = buildPackages(directories, root);
  const verdicts = typecheckProjects(generated.map((id, index) => ({ name: id, directory: directories[index]! })));
  return new Map(
    verdicts.map(({ name: id, directory, diagnostics }) => {
      const tests = path.join(directory, "test") + path.sep;
      const inTests = (diagnostic: ts.Diagnostic) =>
        diagnostic.file !== undefined && path.resolve(diagnostic.file.fileName).startsWith(tests);
      const outcome = (stage: Stage, problems: string[]) =>
        problems.length === 0 ? passed(stage) : failed(stage, problems);
      return [
        id,
        [
          outcome("build", builds.get(directory)!),
          outcome(
            "typecheck",
            located(
              diagnostics.filter((diagnostic) => !inTests(diagnostic)),
              root,
            ),
          ),
          outcome("type tests", located(diagnostics.filter(inTests), root)),
        ],
      ];
    }),
  );
}

/**
 * Takes every spec of the registry through every stage in a scratch workspace: lint (the registry's
 * rules for it, through `loadSpec`), generate (codegen's `generate`), then for each generated package
 * build (its tsconfig.build.json, against the built client-core), typecheck (its sources, strict) and
 * type tests (its test/ folder: the generated type tests, README example and test scaffolding). The
 * typecheck of every package is one TypeScript program (`typecheckProjects`), as in `npm run typecheck`.
 */
export async function runStages(options: RunStagesOptions): Promise<RunStagesResult> {
  if (!existsSync(path.join(clientCore, "dist", "index.d.ts")))
    throw new Error(
      `${path.relative(process.cwd(), clientCore)} is not built, and the generated packages build against it: run \`npx turbo run build --filter=@contracts/client-core\` first.`,
    );
  const root = await scratchWorkspace(path.resolve(options.registry));
  try {
    const apis = await listApis(root);
    const results = new Map<string, StageResult[]>();
    for (const api of apis) {
      const lint = await loadSpec(api).then(
        () => passed("lint"),
        (error: Error) => failed("lint", problemsOf(error)),
      );
      results.set(api.id, [lint]);
    }
    const linted = apis.map((api) => api.id).filter((id) => results.get(id)![0]!.status === "passed");
    const generation = linted.length > 0 ? await generate({ root, apis: linted }) : undefined;
    for (const { api, error } of generation?.failures ?? [])
      results.get(api)!.push(failed("generate", problemsOf(error)));
    const compiled = compileStages(generation?.apis ?? [], root);
    for (const [id, outcomes] of compiled) results.get(id)!.push(passed("generate"), ...outcomes);
    const live = await liveStages(root, linted);
    for (const [id, { results: outcomes }] of live) results.get(id)!.push(...outcomes);
    const specs = apis.map(({ id }): SpecResult => {
      const done = results.get(id)!;
      const notRun = (stage: Stage): StageResult => ({ stage, status: "not run", problems: [] });
      const coverage = live.get(id)?.coverage;
      return {
        api: id,
        stages: stages.map((stage) => done.find((result) => result.stage === stage) ?? notRun(stage)),
        ...(coverage !== undefined && { coverage }),
      };
    });
    return { specs, ...(options.keep && { workspace: root }) };
  } finally {
    if (!options.keep) await rm(root, { recursive: true, force: true });
  }
}

/** The specs that did not pass every stage. */
export const failedSpecs = (specs: readonly SpecResult[]) =>
  specs.filter((spec) => spec.stages.some((stage) => stage.status === "failed" || stage.status === "not run"));

/**
 * A table of every spec by stage, then the first problems of each failed stage: what the CLI prints
 * and a failing test shows.
 */
export function formatResults(specs: readonly SpecResult[]): string {
  const problemsShown = 3;
  const mark = { passed: "ok", failed: "FAILED", "not run": "-", "not applicable": "n/a" } as const;
  const rows = [
    ["spec", ...stages],
    ...specs.map((spec) => [spec.api, ...spec.stages.map((stage) => mark[stage.status])]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const table = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd(),
  );
  const details = specs.flatMap((spec) =>
    spec.stages
      .filter((stage) => stage.status === "failed")
      .map((stage) => {
        const shown = stage.problems.slice(0, problemsShown).map((problem) => problem.replaceAll(/^/gm, "  "));
        const more = stage.problems.length - shown.length;
        return [
          `${spec.api}, ${stage.stage}: ${stage.problems.length} problem(s)`,
          ...shown,
          ...(more > 0 ? [`  ... and ${more} more`] : []),
        ].join("\n");
      }),
  );
  const passing = specs.length - failedSpecs(specs).length;
  return [
    ...table,
    "",
    `${passing} of ${specs.length} specs pass every stage.`,
    ...details.flatMap((detail) => ["", detail]),
  ].join("\n");
}
