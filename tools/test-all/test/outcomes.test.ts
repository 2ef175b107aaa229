import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sumOutcomes, type TaskOutcome, vitestReport } from "../src/index.ts";

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
});
