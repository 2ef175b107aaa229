/**
 * One contract diff, off the dev loop's thread: the diff compiles both clients with TypeScript,
 * seconds of work that would otherwise hold up the mocks' answers and a Ctrl-C.
 */
import { parentPort, workerData } from "node:worker_threads";
import { diffApis } from "@contracts/diff";
import type { ImpactRequest, ImpactResult } from "./impact.ts";

const { root, id, tmpDir } = workerData as ImpactRequest;
let result: ImpactResult;
try {
  const [diff] = (await diffApis({ root, apis: [id], tmpDir })).apis;
  result = { diff: diff! };
} catch (error) {
  result = { error: { name: (error as Error).name, message: (error as Error).message, stack: (error as Error).stack } };
}
parentPort!.postMessage(result);
