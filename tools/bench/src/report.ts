import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "@contracts/registry";
import { clientBundleBudget } from "@contracts/testkit/bundle";
import type { CallInstructions } from "./call-instructions.ts";
import type { CallRate } from "./calls.ts";
import type { BaselineFigures, RemoteCacheFigures, TestCommandRun, TestCommandSample } from "./clones.ts";
import type { MockFigures } from "./mocks.ts";
import { describe, type Sample } from "./stats.ts";

export interface Figures {
  regeneration: { generateAll: Sample; plainOpenapiTs: Sample };
  testCommand: { cold: Sample; cached: Sample; oneSpecEdited: Sample };
  mocks: MockFigures;
  calls: CallRate[];
  callInstructions: CallInstructions[];
  bundles: { name: string; bytes: number }[];
  growth: { operations: number; time: Sample }[];
  remoteCache: RemoteCacheFigures;
  baseline: BaselineFigures;
}

const seconds = (sample: Sample) =>
  describe({ median: sample.median / 1000, min: sample.min / 1000, max: sample.max / 1000, runs: sample.runs }, "s");
const times = (of: number, to: number) => `${(of / to).toFixed(2)}x`;
const verdict = (met: boolean) => (met ? "met" : "**missed**");

async function version(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

/** docs/benchmarks.md: every figure with its spread, each ratio taken within this one run. */
export async function benchmarkReport(figures: Figures): Promise<string> {
  const { regeneration, testCommand, mocks, calls, callInstructions, bundles, growth, remoteCache, baseline } = figures;
  const instructions = (name: string) => callInstructions.find((call) => call.name === name)?.perCall ?? Number.NaN;
  const bareInstructions = instructions("bare openapi-fetch call");
  const rate = (name: string) => calls.find((call) => call.name === name)?.rate.median ?? Number.NaN;
  const bareRate = rate("bare openapi-fetch call");
  const rawRate = rate("raw fetch");
  const openapiFetch = bundles.find((bundle) => bundle.name === "openapi-fetch alone")!.bytes;
  const largestClient = Math.max(...bundles.filter((bundle) => bundle !== bundles[0]).map((bundle) => bundle.bytes));
  const perOperation = growth.map(({ operations, time }) => time.median / operations);
  const versions = Object.fromEntries(
    await Promise.all(
      ["openapi-typescript", "openapi-fetch", "@stoplight/prism-cli", "turbo", "vitest", "@redocly/cli"].map(
        async (name) => [name, await version(name)],
      ),
    ),
  );
  return `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Each figure is the median of several
runs, with the fastest and slowest in brackets; each ratio compares figures taken side by side in
this one run, interleaved run by run (the machines are shared and noisy: compare ratios, not seconds).

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; Node ${process.version}.
Versions: ${Object.entries(versions)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ")}.

## Summary against the aims

| aim | ratio | verdict |
| --- | --- | --- |
| regenerate all ≤ 1.5x one plain openapi-typescript run | ${times(regeneration.generateAll.median, regeneration.plainOpenapiTs.median)} | ${verdict(regeneration.generateAll.median <= 1.5 * regeneration.plainOpenapiTs.median)} |
| cached test command ≤ 5% of cold | ${((100 * testCommand.cached.median) / testCommand.cold.median).toFixed(1)}% | ${verdict(testCommand.cached.median <= 0.05 * testCommand.cold.median)} |
| all mocks ready ≤ 1.3x one plain Prism start | ${times(mocks.allMocks.median, mocks.plainPrism.median)} | ${verdict(mocks.allMocks.median <= 1.3 * mocks.plainPrism.median)} |
| generated method ≤ 1.05x the bare openapi-fetch call (instructions per call) | ${times(instructions("generated method"), bareInstructions)} | ${verdict(instructions("generated method") <= 1.05 * bareInstructions)} |
| largest client bundle ≤ openapi-fetch + 2 kB | +${largestClient - openapiFetch} B | ${verdict(largestClient - openapiFetch <= clientBundleBudget)} |
| ${remoteCacheAim.text} | ${times(remoteCache.second.time.median, remoteCache.first.time.median)} | ${verdict(remoteCacheAim.met(remoteCache))} |
| ${baselineAim.text(baseline)} | ${times(baseline.current.time.median, baseline.baseline.time.median)} | ${verdict(baselineAim.met(baseline))} |

## 1. Regenerating the clients

| what | time | ratio |
| --- | --- | --- |
| \`npm run generate\`: all ${bundles.length - 1} APIs (lint, types, client, package files) | ${seconds(regeneration.generateAll)} | ${times(regeneration.generateAll.median, regeneration.plainOpenapiTs.median)} |
| one plain \`openapi-typescript specs/bland.yaml\` | ${seconds(regeneration.plainOpenapiTs)} | 1.00x |

## 2. The test command

| what | time | share of cold |
| --- | --- | --- |
| cold (\`turbo --force\`: nothing from cache) | ${seconds(testCommand.cold)} | 100% |
| fully cached | ${seconds(testCommand.cached)} | ${((100 * testCommand.cached.median) / testCommand.cold.median).toFixed(1)}% |
| one spec edited (\`specs/bland.yaml\`) | ${seconds(testCommand.oneSpecEdited)} | ${((100 * testCommand.oneSpecEdited.median) / testCommand.cold.median).toFixed(1)}% |

## 3. Mocks

| what | ready | vs one plain Prism | resident memory |
| --- | --- | --- | --- |
| \`npm run mock\`: all APIs, one process | ${seconds(mocks.allMocks)} | ${times(mocks.allMocks.median, mocks.plainPrism.median)} | ${describe(mocks.allMocksRss, "MiB", 0)} |
| one plain \`prism mock\` of one spec | ${seconds(mocks.plainPrism)} | 1.00x | ${describe(mocks.plainPrismRss, "MiB", 0)} |
| one \`prism mock\` per spec, started together | ${seconds(mocks.separatePrisms)} | ${times(mocks.separatePrisms.median, mocks.plainPrism.median)} | ${describe(mocks.separatePrismsRss, "MiB", 0)} |

## 4. Cost of one call (stubbed fetch, Vitest bench)

| what | calls per second | time per call vs raw fetch | vs bare openapi-fetch |
| --- | --- | --- | --- |
${calls.map((call) => `| ${call.name} | ${describe(call.rate, "", 0)} | ${times(rawRate, call.rate.median)} | ${times(bareRate, call.rate.median)} |`).join("\n")}

Each rate is the median of ${calls[0]?.rate.runs ?? 0} rounds of Tinybench; the order of the variants rotates from round to round.

Instructions per call (callgrind; the difference between two processes with the same warm-up,
one making 3000 calls more), which repeat where wall time on a shared machine does not:

| what | instructions per call | vs bare openapi-fetch |
| --- | --- | --- |
${callInstructions.map((call) => `| ${call.name} | ${call.perCall} | ${times(call.perCall, bareInstructions)} |`).join("\n")}

## 5. Bundle size (esbuild, minified, gzipped)

| bundle | bytes | over openapi-fetch |
| --- | --- | --- |
${bundles.map((bundle) => `| ${bundle.name} | ${bundle.bytes} | ${bundle.bytes === openapiFetch ? "" : `+${bundle.bytes - openapiFetch}`} |`).join("\n")}

The test command holds each client to openapi-fetch + ${clientBundleBudget} bytes (the package tests).

## 6. Growth: generating one API of N operations

| operations | time | per operation |
| --- | --- | --- |
${growth.map(({ operations, time }, index) => `| ${operations} | ${seconds(time)} | ${perOperation[index]!.toFixed(1)} ms |`).join("\n")}

${remoteCacheSection(remoteCache)}
${baselineSection(baseline)}`;
}

const remoteCacheAim = {
  text: "a second fresh clone's test command, served by the remote cache the first filled, ≤ 0.15x the first's",
  met: (figures: RemoteCacheFigures) => figures.second.time.median <= 0.15 * figures.first.time.median,
};
const baselineAim = {
  text: (figures: BaselineFigures) => `cold test command ≤ 0.5x the same command at ${figures.commit}, no test fewer`,
  met: (figures: BaselineFigures) =>
    figures.current.time.median <= 0.5 * figures.baseline.time.median &&
    (passedTests(figures.current) ?? 0) >= (passedTests(figures.baseline) ?? Infinity),
};

/** Tests passed in the slowest-counting run: a run that failed counts fewer. */
function passedTests(sample: TestCommandSample): number | undefined {
  const counts = sample.runs.map((run) => run.passed).filter((count) => count !== undefined);
  return counts.length > 0 ? Math.min(...counts) : undefined;
}

/** `129.5 s: 241 passed, 0 failed, 0 of 26 tasks from cache` (and the failed tasks, if any). */
function describeRun(run: TestCommandRun): string {
  const failedTasks = run.failedTasks?.length
    ? `, **failed: ${run.failedTasks.join(", ")}**`
    : run.exitCode === 0
      ? ""
      : `, **exit ${run.exitCode}**`;
  const log = run.log ? ` (output: ${run.log})` : "";
  return `${(run.ms / 1000).toFixed(1)} s: ${run.passed ?? "?"} passed, ${run.failed ?? "?"} failed, ${run.cachedTasks ?? "?"} of ${run.tasks ?? "?"} tasks from cache${failedTasks}${log}`;
}

const runCounts = (sample: TestCommandSample) => sample.runs.map(describeRun).join("; ");

export function remoteCacheSection(figures: RemoteCacheFigures): string {
  const { first, second } = figures;
  return `## 7. Two fresh clones sharing one remote cache

Two clones of ${figures.commit}, each installed by \`npm ci\` and reset to a fresh clone's state before
each run; \`npm run cache-server\` (turborepo-remote-cache, artifacts on disk) started with empty storage
for each pair; both clones' \`npm test\` with the same \`TURBO_API\`, \`TURBO_TOKEN\` and \`TURBO_TEAM\`.

| what | time | vs the first clone |
| --- | --- | --- |
| first clone: cold, fills the remote cache | ${seconds(first.time)} | 1.00x |
| second clone: served by the remote cache | ${seconds(second.time)} | ${times(second.time.median, first.time.median)} |

Each pair (a task that failed in the first clone is not cached, so the second runs it again):

${first.runs.map((run, index) => `- pair ${index + 1}: first ${describeRun(run)}; second ${describeRun(second.runs[index]!)}; ${times(second.runs[index]!.ms, run.ms)}`).join("\n")}

Aim: ${remoteCacheAim.text}: ${verdict(remoteCacheAim.met(figures))}.
`;
}

export function baselineSection(figures: BaselineFigures): string {
  const { current, baseline } = figures;
  return `## 8. The cold test command against ${figures.commit}

\`npm test -- --force\` in this working tree and in a clone of ${figures.commit} (its own \`npm ci\`),
interleaved run by run, the order alternating.

| what | time | vs ${figures.commit} | runs |
| --- | --- | --- | --- |
| this tree | ${seconds(current.time)} | ${times(current.time.median, baseline.time.median)} | ${runCounts(current)} |
| ${figures.commit} | ${seconds(baseline.time)} | 1.00x | ${runCounts(baseline)} |

Aim: ${baselineAim.text(figures)}: ${verdict(baselineAim.met(figures))}.
`;
}
