import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { coloursOn } from "@contracts/cli";
import { execa } from "execa";

/** The turbo tasks of the test command, in the order a reader thinks of them. */
export const testTasks = ["lint", "biome", "layering", "check", "diff", "typecheck", "test"] as const;

/** Every package's vitest run writes its JSON report here (see the packages' `test` scripts). */
export const vitestReport = ".reports/vitest.json";

/**
 * A check task that gives several verdicts in one run writes `{ passed, failed }` here (the root
 * `typecheck`: one per package); any other check task counts as one verdict.
 */
export const checkReport = (task: string) => `.reports/${task}.json`;

export interface TaskOutcome {
  taskId: string;
  task: string;
  directory: string;
  exitCode: number | null;
  cached: boolean;
}

export interface Totals {
  passed: number;
  failed: number;
  /** Checks that are not test files (lint, drift check, typecheck): one verdict each. */
  checks: { passed: number; failed: number };
}

/** The part of turbo's run summary (`--summarize`) the test command and the benchmarks read. */
export interface TurboRunSummary {
  execution: { startTime: number; endTime: number };
  tasks: {
    taskId: string;
    task: string;
    directory: string;
    /** Absent for a task that did not run (its dependency failed). Times in epoch milliseconds. */
    execution?: { exitCode: number | null; startTime: number; endTime: number };
    cache: { status: "HIT" | "MISS" };
  }[];
}

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
}

interface CheckReport {
  passed: number;
  failed: number;
}

/** The summary turbo wrote for the run that started at `since`, if it got that far. */
export async function runSummarySince(root: string, since: number): Promise<TurboRunSummary | undefined> {
  const runs = path.join(root, ".turbo", "runs");
  const files = (await readdir(runs).catch(() => [])).filter((name) => name.endsWith(".json"));
  // By modification time: the file names (KSUIDs) only order runs to the second.
  const written = await Promise.all(
    files.map(async (name) => ({ name, mtimeMs: (await stat(path.join(runs, name))).mtimeMs })),
  );
  const newest = written.filter((file) => file.mtimeMs >= since).sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
  if (!newest) return undefined;
  return JSON.parse(await readFile(path.join(runs, newest.name), "utf8")) as TurboRunSummary;
}

/** The task's report, if this run wrote one (a task that crashed may have left an old one). */
async function freshReport<T>(
  root: string,
  outcome: TaskOutcome,
  report: string,
  since: number,
): Promise<T | undefined> {
  const file = path.join(root, outcome.directory, report);
  const written = await stat(file).catch(() => undefined);
  if (!written || (!outcome.cached && written.mtimeMs < since)) return undefined;
  return JSON.parse(await readFile(file, "utf8")) as T;
}

/** Sums the vitest reports of the `test` tasks and counts every other task as one check. */
export async function sumOutcomes(root: string, outcomes: TaskOutcome[], since: number): Promise<Totals> {
  const totals: Totals = { passed: 0, failed: 0, checks: { passed: 0, failed: 0 } };
  for (const outcome of outcomes) {
    const ok = outcome.exitCode === 0;
    if (outcome.task !== "test") {
      const checks = await freshReport<CheckReport>(root, outcome, checkReport(outcome.task), since);
      // A check task that failed with every verdict passing (a crash after them) still failed.
      totals.checks.passed += checks ? checks.passed : ok ? 1 : 0;
      totals.checks.failed += checks ? Math.max(checks.failed, ok ? 0 : 1) : ok ? 0 : 1;
      continue;
    }
    const report = await freshReport<VitestJsonReport>(root, outcome, vitestReport, since);
    if (report) {
      totals.passed += report.numPassedTests;
      // A test task that failed with every test passing (a crash after them) still failed.
      totals.failed += Math.max(report.numFailedTests, ok ? 0 : 1);
      continue;
    }
    // A test task that died before writing its report: one verdict.
    if (ok) totals.passed += 1;
    else totals.failed += 1;
  }
  return totals;
}

const withoutColour = function* (line: unknown) {
  yield stripVTControlCharacters(String(line));
};

/**
 * Runs the test tasks through turbo (output streamed), then returns what each task did. Colour
 * reaches a terminal that shows it and nothing else: vitest colours its lines even into a file,
 * and turbo replays a cached task's log as it was written, so without colour every line is stripped
 * (and NO_COLOR asks the tasks that run for none).
 */
export async function runTestTasks(
  root: string,
  turboArgs: string[] = [],
  colour = coloursOn(process.stdout),
): Promise<{ exitCode: number; outcomes: TaskOutcome[]; since: number }> {
  const since = Date.now();
  const run = await execa(
    "turbo",
    ["run", ...testTasks, "--summarize", "--continue=dependencies-successful", ...turboArgs],
    {
      cwd: root,
      stdin: "inherit",
      stdout: colour ? "inherit" : [withoutColour, "inherit"],
      stderr: colour ? "inherit" : [withoutColour, "inherit"],
      buffer: false,
      ...(!colour && { env: { NO_COLOR: "1" } }),
      preferLocal: true,
      reject: false,
    },
  );
  const summary = await runSummarySince(root, since);
  // No summary: turbo stopped before running any task (bad config); its own message says why.
  if (!summary)
    return {
      exitCode: run.exitCode || 1,
      outcomes: [{ taskId: "turbo", task: "turbo", directory: ".", exitCode: run.exitCode || 1, cached: false }],
      since,
    };
  const outcomes = summary.tasks
    .filter((task) => task.execution !== undefined)
    .map((task) => ({
      taskId: task.taskId,
      task: task.task,
      directory: task.directory,
      exitCode: task.execution?.exitCode ?? null,
      cached: task.cache.status === "HIT",
    }));
  return { exitCode: run.exitCode ?? 1, outcomes, since };
}
