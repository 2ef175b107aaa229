import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ApiDiff } from "@contracts/diff";
import type { Api } from "@contracts/spec";

/** What the dev loop asks a worker to judge. */
export interface ImpactRequest {
  root: string;
  id: string;
  /** Where the diff makes its scratch directory: the dev loop's own, removed when it stops. */
  tmpDir: string;
}

/** What the worker answers: the API's diff, or the error it ended with (errors lose their class between threads). */
export type ImpactResult = { diff: ApiDiff } | { error: { name: string; message: string; stack?: string } };

/**
 * What `npm run diff -- <id>` says of the API since main: a line, then one per change of the
 * largest impact, e.g. `bland: 1 major change since main, needs 4.0.0 (info.version 3.0.0)`.
 */
function impactLines(api: ApiDiff): string[] {
  if (api.status !== "changed" || api.neededVersion === undefined) return [api.verdict];
  const counts = (["major", "minor", "patch"] as const).flatMap((impact) => {
    const count = api.changes.filter((change) => change.impact === impact).length;
    return count > 0 ? [`${count} ${impact}`] : [];
  });
  const changes =
    counts.length === 0 ? "no contract change" : `${counts.join(", ")} change${api.changes.length === 1 ? "" : "s"}`;
  const found = `info.version ${api.headVersion}${api.ok ? ": ok" : ""}`;
  return [
    `${api.id}: ${changes} since main, needs ${api.neededVersion} (${found})`,
    ...api.changes
      .filter((change) => change.impact === api.impact)
      .map(
        (change) =>
          `  ${change.impact}  ${[change.operation, change.pointer].filter(Boolean).join("  ")}: ${change.message}`,
      ),
  ];
}

/**
 * The contract impact of the specs as saved, judged by diff's engine in a worker thread (its
 * TypeScript compiles would otherwise hold up the mocks' answers and a Ctrl-C). One diff at a
 * time is the caller's part; `stop` ends one under way at once and removes its files.
 */
export function contractImpact(root: string) {
  let tmpDir: Promise<string> | undefined;
  let running: Worker | undefined;
  let stopped = false;
  /** Set once a diff could not be made at all (no git repository, no main branch): no use asking again. */
  let unavailable = false;

  /** The lines to print for the API's spec as it is now; none once stopped or unavailable. */
  async function linesFor(api: Api): Promise<string[]> {
    if (stopped || unavailable) return [];
    tmpDir ??= mkdtemp(path.join(tmpdir(), "contracts-dev-"));
    const request: ImpactRequest = { root, id: api.id, tmpDir: await tmpDir };
    if (stopped) return []; // stopped while the folder was being made: it is gone, start nothing in it
    const worker = new Worker(new URL("./impact-worker.ts", import.meta.url), { workerData: request });
    running = worker;
    const result = await new Promise<ImpactResult | undefined>((resolve, reject) => {
      worker.once("message", resolve).once("error", reject);
      worker.once("exit", () => resolve(undefined));
    }).finally(() => {
      running = undefined;
    });
    if (result === undefined) return [];
    if ("diff" in result) return impactLines(result.diff);
    const { name, message, stack } = result.error;
    // Saved again and broken since: the rebuild of that save says where.
    if (name === "SpecError") return [];
    if (name === "GitError") {
      unavailable = true;
      return [`no contract impact shown until a restart: ${message}`];
    }
    throw Object.assign(new Error(message), { stack });
  }

  async function stop(): Promise<void> {
    stopped = true;
    await running?.terminate();
    // A write the worker started can still land after it ends (ENOTEMPTY): Node's rm retries those.
    if (tmpDir) await rm(await tmpDir, { recursive: true, force: true, maxRetries: 10 });
  }

  return { linesFor, stop };
}
