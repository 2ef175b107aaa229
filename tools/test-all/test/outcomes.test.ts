import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkReport, sumOutcomes, type TaskOutcome, vitestReport } from "../src/index.ts";

let root: string;
let since: number;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "test-all-"));
  // The run "started" a second ago: file times are coarser than Date.now().
  since = Date.now() - 1000;
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** A vitest JSON report in the package directory, written now or at `writtenAt`. */
async function report(directory: string, passed: number, failed: number, writtenAt?: number): Promise<void> {
  const file = path.join(root, directory, vitestReport);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ numPassedTests: passed, numFailedTests: failed }));
  if (writtenAt !== undefined) await utimes(file, writtenAt / 1000, writtenAt / 1000);
}

/** A check task's report of several verdicts, written now or at `writtenAt`. */
async function checks(directory: string, task: string, passed: number, failed: number, writtenAt?: number) {
  const file = path.join(root, directory, checkReport(task));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ passed, failed }));
  if (writtenAt !== undefined) await utimes(file, writtenAt / 1000, writtenAt / 1000);
}

const outcome = (directory: string, task: string, exitCode: number | null, cached = false): TaskOutcome => ({
  taskId: `${directory}#${task}`,
  task,
  directory,
  exitCode,
  cached,
});

describe("sumOutcomes", () => {
  it("adds up the tests of each fresh report and counts every other task as one check", async () => {
    await report("tools/a", 5, 0);
    await report("tools/b", 3, 2);
    const totals = await sumOutcomes(
      root,
      [
        outcome("tools/a", "test", 0),
        outcome("tools/b", "test", 1),
        outcome("specs", "lint", 0),
        outcome("tools/a", "typecheck", 1),
      ],
      since,
    );
    expect(totals).toEqual({ passed: 8, failed: 2, checks: { passed: 1, failed: 1 } });
  });

  it("counts a test task that crashed after every test passed as one failure", async () => {
    await report("tools/a", 4, 0);
    expect(await sumOutcomes(root, [outcome("tools/a", "test", 1)], since)).toEqual({
      passed: 4,
      failed: 1,
      checks: { passed: 0, failed: 0 },
    });
  });

  it("counts a test task with no report as one verdict, failed or passed", async () => {
    expect(
      await sumOutcomes(
        root,
        [outcome("tools/a", "test", 1), outcome("tools/b", "test", null), outcome("tools/c", "test", 0)],
        since,
      ),
    ).toEqual({
      passed: 1,
      failed: 2,
      checks: { passed: 0, failed: 0 },
    });
  });

  it("ignores a report an earlier run left behind, unless turbo replayed the task from its cache", async () => {
    await report("tools/a", 9, 0, since - 60_000);
    expect(await sumOutcomes(root, [outcome("tools/a", "test", 1)], since)).toEqual({
      passed: 0,
      failed: 1,
      checks: { passed: 0, failed: 0 },
    });
    expect(await sumOutcomes(root, [outcome("tools/a", "test", 0, true)], since)).toEqual({
      passed: 9,
      failed: 0,
      checks: { passed: 0, failed: 0 },
    });
  });

  it("counts the verdicts a check task reports, one per package of the root typecheck", async () => {
    await checks(".", "typecheck", 17, 1);
    expect(await sumOutcomes(root, [outcome(".", "typecheck", 1)], since)).toEqual({
      passed: 0,
      failed: 0,
      checks: { passed: 17, failed: 1 },
    });
  });

  it("counts a check task that failed with every reported verdict passing as one failure", async () => {
    await checks(".", "typecheck", 18, 0);
    expect(await sumOutcomes(root, [outcome(".", "typecheck", 1)], since)).toEqual({
      passed: 0,
      failed: 0,
      checks: { passed: 18, failed: 1 },
    });
  });

  it("ignores a check report an earlier run left behind, unless turbo replayed the task", async () => {
    await checks(".", "typecheck", 18, 0, since - 60_000);
    expect(await sumOutcomes(root, [outcome(".", "typecheck", 1)], since)).toEqual({
      passed: 0,
      failed: 0,
      checks: { passed: 0, failed: 1 },
    });
    expect(await sumOutcomes(root, [outcome(".", "typecheck", 0, true)], since)).toEqual({
      passed: 0,
      failed: 0,
      checks: { passed: 18, failed: 0 },
    });
  });
});
