import { rm } from "node:fs/promises";
import { generate } from "@contracts/codegen";
import { repoRoot, specCacheDir } from "@contracts/spec";
import { runSummarySince } from "@contracts/test-all";
import { measureCommand } from "./processes.ts";
import { specEdit } from "./spec-edit.ts";
import { type Sample, summarize } from "./stats.ts";

const testCommand = ["tools/test-all/src/cli.ts"];

/** How long one task of a run took (wall time, beside whatever else turbo ran at once). */
export interface TaskTime {
  taskId: string;
  /** When it started, from the start of the run's first task. */
  startMs: number;
  ms: number;
}

export interface TestCommandFigures {
  cold: Sample;
  cached: Sample;
  oneSpecEdited: Sample;
  /** The spec whose description the edited runs changed. */
  editedSpec: string;
  /** Every task of the last cold run, longest first. */
  coldTasks: TaskTime[];
  /** The tasks the last edited run executed (not replayed from turbo's cache), of how many. */
  editedRun: { executed: string[]; tasks: number };
}

/** A run with nothing reused: turbo's cache bypassed and loadSpec's verdict cache emptied. */
async function runCold(directory: string): Promise<number> {
  await rm(specCacheDir(directory), { recursive: true, force: true });
  return measureCommand("node", [...testCommand, "--force"], directory);
}

async function lastRun(since: number) {
  const summary = await runSummarySince(repoRoot, since);
  if (!summary) throw new Error("The test command wrote no turbo run summary (.turbo/runs): see its output.");
  return summary.tasks.filter((task) => task.execution !== undefined);
}

/**
 * The whole test command three ways, interleaved run by run: cold, fully cached, and after one
 * spec's description was edited and its client regenerated (what a user's spec edit costs).
 */
export async function measureTestCommand(runs: number): Promise<TestCommandFigures> {
  const edit = await specEdit();
  const cold: number[] = [];
  const cached: number[] = [];
  const afterEdit: number[] = [];
  let coldTasks: TaskTime[] = [];
  let editedRun = { executed: [] as string[], tasks: 0 };
  try {
    for (let run = 0; run < runs; run += 1) {
      let since = Date.now();
      cold.push(await runCold(repoRoot));
      const ran = await lastRun(since);
      const first = Math.min(...ran.map((task) => task.execution!.startTime));
      coldTasks = ran
        .map(({ taskId, execution }) => ({
          taskId,
          startMs: execution!.startTime - first,
          ms: execution!.endTime - execution!.startTime,
        }))
        .sort((a, b) => b.ms - a.ms);
      cached.push(await measureCommand("node", testCommand, repoRoot));
      await edit.edit();
      await generate({ apis: [edit.apiId] });
      since = Date.now();
      afterEdit.push(await measureCommand("node", testCommand, repoRoot));
      const tasks = await lastRun(since);
      editedRun = {
        executed: tasks.filter((task) => task.cache.status === "MISS").map((task) => task.taskId),
        tasks: tasks.length,
      };
      await edit.restore();
    }
  } finally {
    await edit.restore();
  }
  return {
    cold: summarize(cold),
    cached: summarize(cached),
    oneSpecEdited: summarize(afterEdit),
    editedSpec: edit.spec,
    coldTasks,
    editedRun,
  };
}
