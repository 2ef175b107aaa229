import path from "node:path";
import { freePort } from "@contracts/cli";
import { listApis, repoRoot } from "@contracts/spec";
import { startUntilReady } from "./processes.ts";
import { type Sample, summarize } from "./stats.ts";

export interface MockFigures {
  allMocks: Sample;
  plainPrism: Sample;
  separatePrisms: Sample;
  allMocksRss: Sample;
  plainPrismRss: Sample;
  separatePrismsRss: Sample;
}

const prismReady = /Prism is listening/;

/** One `prism mock` per spec, all started at once: the alternative to one process. */
async function separatePrisms(specs: string[]) {
  const started = await Promise.all(
    specs.map(async (spec) =>
      startUntilReady("prism", ["mock", "-p", String(await freePort()), spec], prismReady, repoRoot),
    ),
  );
  return {
    readyMs: Math.max(...started.map((process) => process.readyMs)),
    rssMiB: started.reduce((sum, process) => sum + process.rssMiB, 0),
    stop: () => Promise.all(started.map((process) => process.stop())).then(() => undefined),
  };
}

/**
 * Ready time and memory of `contracts-mock` (all APIs, one process) against one plain
 * `prism mock` of one spec and against one `prism mock` per spec, interleaved run by run.
 */
export async function measureMocks(runs = 7): Promise<MockFigures> {
  const apis = await listApis();
  const specs = apis.map((api) => path.relative(repoRoot, api.specPath));
  const samples = {
    all: [] as number[],
    plain: [] as number[],
    separate: [] as number[],
    allRss: [] as number[],
    plainRss: [] as number[],
    separateRss: [] as number[],
  };
  for (let run = 0; run < runs; run += 1) {
    const portArgs = (await Promise.all(apis.map(async (api) => ["--port", `${api.id}=${await freePort()}`]))).flat();
    const all = await startUntilReady("node", ["tools/mock/src/cli.ts", ...portArgs], /Serving requests/, repoRoot);
    samples.all.push(all.readyMs);
    samples.allRss.push(all.rssMiB);
    await all.stop();
    const plain = await startUntilReady(
      "prism",
      ["mock", "-p", String(await freePort()), specs[0]!],
      prismReady,
      repoRoot,
    );
    samples.plain.push(plain.readyMs);
    samples.plainRss.push(plain.rssMiB);
    await plain.stop();
    const separate = await separatePrisms(specs);
    samples.separate.push(separate.readyMs);
    samples.separateRss.push(separate.rssMiB);
    await separate.stop();
  }
  return {
    allMocks: summarize(samples.all),
    plainPrism: summarize(samples.plain),
    separatePrisms: summarize(samples.separate),
    allMocksRss: summarize(samples.allRss),
    plainPrismRss: summarize(samples.plainRss),
    separatePrismsRss: summarize(samples.separateRss),
  };
}
