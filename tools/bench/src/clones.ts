import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startCacheServer } from "@contracts/cache-server";
import { repoRoot, specCacheDir } from "@contracts/spec";
import { execa } from "execa";
import { type Sample, summarize } from "./stats.ts";

/** main before the spec layer, runtime and test-command work: the reference the cold test command is held to. */
export const baselineCommit = "a2ab30c";

/** One `npm test`: its time and what its last lines say (`Tasks: N run (M from cache), failed: ...`, `Tests: N passed, N failed`). */
export interface TestCommandRun {
  ms: number;
  exitCode: number;
  tasks?: number;
  cachedTasks?: number;
  /** The tasks the test command named as failed. */
  failedTasks?: string[];
  passed?: number;
  failed?: number;
  /** Where the output of a failed run was kept. */
  log?: string;
}

export interface TestCommandSample {
  time: Sample;
  runs: TestCommandRun[];
}

/**
 * `npm test -- <args>` in `directory`, timed from spawn to exit. A failing run is kept, not thrown:
 * its counts say so, and a long bench is not lost to one flaky test. The caller's TURBO_* settings
 * are left out so that only `env` decides which cache turbo uses.
 */
async function runTestCommand(
  directory: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<TestCommandRun> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TURBO_")));
  const started = performance.now();
  const result = await execa("npm", ["test", "--", ...args], {
    cwd: directory,
    env: { ...inherited, ...env },
    extendEnv: false,
    all: true,
    reject: false,
  });
  const ms = performance.now() - started;
  const tasks = /Tasks: (\d+) run \((\d+) from cache\)(?:, failed: (.*))?/.exec(result.all);
  const tests = [...result.all.matchAll(/Tests: (\d+) passed, (\d+) failed/g)].at(-1);
  // The clones are deleted after the step: a failure's output is kept to say why.
  const log = result.exitCode === 0 ? undefined : path.join(tmpdir(), `bench-test-command-${Date.now()}.log`);
  if (log) await writeFile(log, result.all);
  return {
    ms,
    exitCode: result.exitCode ?? 1,
    ...(tasks && { tasks: Number(tasks[1]), cachedTasks: Number(tasks[2]), failedTasks: tasks[3]?.split(", ") ?? [] }),
    ...(tests && { passed: Number(tests[1]), failed: Number(tests[2]) }),
    ...(log && { log }),
  };
}

const sample = (runs: TestCommandRun[]): TestCommandSample => ({ time: summarize(runs.map((run) => run.ms)), runs });

/** A clone of `commit` in `directory`, installed by `npm ci` (npm's download cache is shared). */
async function installedClone(commit: string, directory: string): Promise<string> {
  await execa("git", ["clone", "--quiet", "--no-checkout", repoRoot, directory]);
  await execa("git", ["checkout", "--quiet", "--detach", commit], { cwd: directory });
  await execa("npm", ["ci", "--no-audit", "--no-fund"], { cwd: directory });
  return directory;
}

/** Back to a fresh clone's state, the install kept: no turbo cache, no build or test outputs. */
async function resetClone(directory: string): Promise<void> {
  await execa("git", ["clean", "-fdxq", "-e", "node_modules"], { cwd: directory });
}

async function inScratch<T>(prefix: string, work: (root: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  try {
    return await work(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export interface RemoteCacheFigures {
  commit: string;
  /** The first fresh clone's test command, filling an empty remote cache. */
  first: TestCommandSample;
  /** A second fresh clone's, with the same TURBO_API/TURBO_TOKEN/TURBO_TEAM. */
  second: TestCommandSample;
}

/**
 * Two clones of the current commit (committed work only), each run as a fresh clone: the first
 * one's test command fills a new `npm run cache-server` storage, then the second one's is timed.
 */
export async function measureRemoteCache(runs: number): Promise<RemoteCacheFigures> {
  const commit = (await execa("git", ["rev-parse", "HEAD"], { cwd: repoRoot })).stdout;
  return inScratch("bench-remote-cache-", async (root) => {
    const first = await installedClone(commit, path.join(root, "first"));
    const second = await installedClone(commit, path.join(root, "second"));
    const firstRuns: TestCommandRun[] = [];
    const secondRuns: TestCommandRun[] = [];
    for (let run = 0; run < runs; run += 1) {
      await resetClone(first);
      await resetClone(second);
      const token = randomUUID();
      const server = await startCacheServer({ token, storage: path.join(root, `storage-${run}`), port: 0 });
      try {
        const env = { TURBO_API: server.url, TURBO_TOKEN: token, TURBO_TEAM: "bench" };
        firstRuns.push(await runTestCommand(first, [], env));
        secondRuns.push(await runTestCommand(second, [], env));
      } finally {
        await server.stop();
      }
    }
    return { commit: commit.slice(0, 7), first: sample(firstRuns), second: sample(secondRuns) };
  });
}

export interface BaselineFigures {
  commit: string;
  /** The cold test command (`--force`) of this working tree. */
  current: TestCommandSample;
  /** The same command in a clone of the baseline commit. */
  baseline: TestCommandSample;
}

/** The cold test command here and at `commit` (its own clone and install), interleaved, order alternating. */
export async function measureAgainstBaseline(runs: number, commit = baselineCommit): Promise<BaselineFigures> {
  return inScratch("bench-baseline-", async (root) => {
    const baseline = await installedClone(commit, path.join(root, "baseline"));
    const currentRuns: TestCommandRun[] = [];
    const baselineRuns: TestCommandRun[] = [];
    const sides = [
      { directory: repoRoot, runs: currentRuns },
      { directory: baseline, runs: baselineRuns },
    ];
    for (let run = 0; run < runs; run += 1) {
      for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
        // Cold means nothing reused: loadSpec's verdict cache (absent at the baseline) goes too.
        await rm(specCacheDir(side.directory), { recursive: true, force: true });
        side.runs.push(await runTestCommand(side.directory, ["--force"]));
      }
    }
    return { commit, current: sample(currentRuns), baseline: sample(baselineRuns) };
  });
}
