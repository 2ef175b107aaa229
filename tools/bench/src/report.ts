import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import { clientBundleBudget } from "@contracts/testkit/bundle";
import type { CallInstructions } from "./call-instructions.ts";
import type { CallRate } from "./calls.ts";
import type { BaselineFigures, RemoteCacheFigures, TestCommandRun, TestCommandSample } from "./clones.ts";
import type { RegenerationFigures } from "./codegen.ts";
import type { ContractCost, ContractCostFigures } from "./contract-cost.ts";
import { type GiantsFigures, giantsSection } from "./giants.ts";
import { type MockCallFigures, mockCallsSection } from "./mock-calls.ts";
import type { MockFigures } from "./mocks.ts";
import { describe, describeSeconds, type Sample } from "./stats.ts";
import type { TaskTime, TestCommandFigures } from "./test-command.ts";

export interface Figures {
  regeneration: RegenerationFigures;
  testCommand: TestCommandFigures;
  mocks: MockFigures;
  calls: CallRate[];
  mockCalls: MockCallFigures;
  callInstructions: CallInstructions[];
  bundles: { name: string; bytes: number; lazy: number }[];
  growth: { operations: number; time: Sample }[];
  remoteCache: RemoteCacheFigures;
  baseline: BaselineFigures;
  contractCost: ContractCostFigures;
  giants: GiantsFigures;
}

/** The cold run's timeline (chart.ts), beside docs/benchmarks.md. */
export const coldRunChartFile = "benchmarks-cold-run.svg";

const times = (of: number, to: number) => `${(of / to).toFixed(2)}x`;
const share = (of: number, to: number) => `${((100 * of) / to).toFixed(1)}%`;
const verdict = (met: boolean) => (met ? "met" : "**missed**");

async function version(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

/** docs/benchmarks.md: every figure with its spread, each ratio taken within this one run. */
export async function benchmarkReport(figures: Figures): Promise<string> {
  const {
    regeneration,
    testCommand,
    mocks,
    calls,
    mockCalls,
    callInstructions,
    bundles,
    growth,
    remoteCache,
    baseline,
    contractCost,
    giants,
  } = figures;
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

"Before" is the same figure in the report this one replaces (written at ${previous.commit}, the
commit the speed work started from), or where it had none, the first measurement of it.

| aim | now | before | verdict |
| --- | --- | --- | --- |
| ${baselineAim.text(baseline)} | ${times(baseline.current.time.median, baseline.baseline.time.median)} | ${previous.coldVsBaseline} | ${verdict(baselineAim.met(baseline))} |
| one spec's description edited and its client regenerated: the test command ≤ 0.3x cold | ${times(testCommand.oneSpecEdited.median, testCommand.cold.median)} | ${previous.oneSpecEdited} | ${verdict(testCommand.oneSpecEdited.median <= 0.3 * testCommand.cold.median)} |
| cached test command ≤ 5% of cold | ${share(testCommand.cached.median, testCommand.cold.median)} | ${previous.cached} | ${verdict(testCommand.cached.median <= 0.05 * testCommand.cold.median)} |
| regenerate all ≤ 1.2x one plain openapi-typescript run | ${times(regeneration.generateAll.median, regeneration.plainOpenapiTs.median)} | ${previous.regenerate} | ${verdict(regeneration.generateAll.median <= 1.2 * regeneration.plainOpenapiTs.median)} |
| the same after one spec edit (that spec linted again) ≤ 1.2x | ${times(regeneration.afterOneSpecEdit.median, regeneration.plainOpenapiTs.median)} | ${previous.regenerate} | ${verdict(regeneration.afterOneSpecEdit.median <= 1.2 * regeneration.plainOpenapiTs.median)} |
| all mocks ready ≤ 1.0x one plain Prism start | ${times(mocks.allMocks.median, mocks.plainPrism.median)} | ${previous.mocks} | ${verdict(mocks.allMocks.median <= mocks.plainPrism.median)} |
| generation linear to 1,000 operations: time per operation at 1,000 ≤ 1.5x at 100 | ${times(perOperation.at(-1)!, perOperation.at(-2)!)} | ${previous.growth} | ${verdict(perOperation.at(-1)! <= 1.5 * perOperation.at(-2)!)} |
| ${contractCostAim.text} | ${times(marginal(contractCost.growth, 100), marginal(contractCost.growth, 10))} | first measurement | ${verdict(contractCostAim.met(contractCost))} |
| ${remoteCacheAim.text} | ${times(remoteCache.second.time.median, remoteCache.first.time.median)} | ${previous.remoteCache} | ${verdict(remoteCacheAim.met(remoteCache))} |
| generated method ≤ 1.05x the bare openapi-fetch call (instructions per call) | ${times(instructions("generated method"), bareInstructions)} | ${previous.perCall} | ${verdict(instructions("generated method") <= 1.05 * bareInstructions)} |
| largest client bundle ≤ openapi-fetch + 2 kB | +${largestClient - openapiFetch} B | ${previous.bundle} | ${verdict(largestClient - openapiFetch <= clientBundleBudget)} |

## 1. Regenerating the clients

| what | time | ratio |
| --- | --- | --- |
| \`npm run generate\`: all ${bundles.length - 1} APIs, nothing changed (every verdict from loadSpec's cache) | ${describeSeconds(regeneration.generateAll)} | ${times(regeneration.generateAll.median, regeneration.plainOpenapiTs.median)} |
| \`npm run generate\`: all ${bundles.length - 1} APIs, one spec's description edited first | ${describeSeconds(regeneration.afterOneSpecEdit)} | ${times(regeneration.afterOneSpecEdit.median, regeneration.plainOpenapiTs.median)} |
| one plain \`openapi-typescript specs/bland.yaml\` | ${describeSeconds(regeneration.plainOpenapiTs)} | 1.00x |

## 2. The test command

| what | time | share of cold |
| --- | --- | --- |
| cold (\`turbo --force\`, loadSpec's verdict cache emptied: nothing reused) | ${describeSeconds(testCommand.cold)} | 100% |
| fully cached | ${describeSeconds(testCommand.cached)} | ${share(testCommand.cached.median, testCommand.cold.median)} |
| \`${testCommand.editedSpec}\`'s description edited, its client regenerated | ${describeSeconds(testCommand.oneSpecEdited)} | ${share(testCommand.oneSpecEdited.median, testCommand.cold.median)} |

After the edit, the test command executed ${testCommand.editedRun.executed.length} of its ${testCommand.editedRun.tasks} tasks (the rest replayed from turbo's cache): ${testCommand.editedRun.executed.map((task) => `\`${task}\``).join(", ")}.

Where the time goes: every task of the last cold run, by its own wall time. Turbo runs up to ten
tasks at once on this machine's ${os.cpus().length} cores, so each time includes waiting for the CPU, and the
times add up to more than the run.

![The last cold run, task by task: each bar from the task's start to its end](${coldRunChartFile})

| task | time | share of the summed task time |
| --- | --- | --- |
${taskRows(testCommand.coldTasks)}

## 3. Mocks

| what | ready | vs one plain Prism | resident memory |
| --- | --- | --- | --- |
| \`npm run mock\`: all APIs, one process | ${describeSeconds(mocks.allMocks)} | ${times(mocks.allMocks.median, mocks.plainPrism.median)} | ${describe(mocks.allMocksRss, "MiB", 0)} |
| one plain \`prism mock\` of one spec | ${describeSeconds(mocks.plainPrism)} | 1.00x | ${describe(mocks.plainPrismRss, "MiB", 0)} |
| one \`prism mock\` per spec, started together | ${describeSeconds(mocks.separatePrisms)} | ${times(mocks.separatePrisms.median, mocks.plainPrism.median)} | ${describe(mocks.separatePrismsRss, "MiB", 0)} |

## 4. Cost of one call (stubbed fetch, Vitest bench)

| what | calls per second | time per call vs raw fetch | vs bare openapi-fetch |
| --- | --- | --- | --- |
${calls.map((call) => `| ${call.name} | ${describe(call.rate, "", 0)} | ${times(rawRate, call.rate.median)} | ${times(bareRate, call.rate.median)} |`).join("\n")}

Each rate is the median of ${calls[0]?.rate.runs ?? 0} rounds of Tinybench; the order of the variants rotates from round to round.

Instructions per call (callgrind; the difference between two processes with the same warm-up,
one making 3000 calls more; the median of three such pairs, as one pair can be several times off):

| what | instructions per call | vs bare openapi-fetch |
| --- | --- | --- |
${callInstructions.map((call) => `| ${call.name} | ${call.perCall} | ${times(call.perCall, bareInstructions)} |`).join("\n")}

${mockCallsSection(mockCalls)}
## 5. Bundle size (esbuild, minified, gzipped)

| bundle | bytes up front | over openapi-fetch | response validators, loaded only with \`validateResponses\` |
| --- | --- | --- | --- |
${bundles.map((bundle) => `| ${bundle.name} | ${bundle.bytes} | ${bundle.bytes === openapiFetch ? "" : `+${bundle.bytes - openapiFetch}`} | ${bundle.lazy || ""} |`).join("\n")}

The test command holds each client to openapi-fetch + ${clientBundleBudget} bytes (the bundle-size tests).

## 6. Growth: generating one API of N operations

| operations | time | per operation |
| --- | --- | --- |
${growth.map(({ operations, time }, index) => `| ${operations} | ${describeSeconds(time)} | ${perOperation[index]!.toFixed(1)} ms |`).join("\n")}

${remoteCacheSection(remoteCache)}
${baselineSection(baseline)}
${contractCostSection(contractCost)}

## 10. Giants: large vendor specs through generate and the mock

${giantsSection(giants)}
`;
}

/** Each aim's figure in the report this one replaces (docs/benchmarks.md at 8cb8415), or its first measurement. */
const previous = {
  commit: "8cb8415",
  coldVsBaseline: "1.35x (first `--only baseline` run)",
  oneSpecEdited: "0.73x (edit without regenerating)",
  cached: "0.3%",
  regenerate: "1.71x",
  mocks: "1.19x",
  growth: "1.25x",
  remoteCache: "0.12x (first `--only remote-cache` run)",
  perCall: "1.27x (first callgrind run)",
  bundle: "+550 B",
};

/** One row per task, longest first, with its share of all the tasks' summed time. */
function taskRows(tasks: TaskTime[]): string {
  const total = tasks.reduce((sum, task) => sum + task.ms, 0);
  return tasks
    .map((task) => `| \`${task.taskId}\` | ${(task.ms / 1000).toFixed(1)} s | ${share(task.ms, total)} |`)
    .join("\n");
}

const remoteCacheAim = {
  text: "a second fresh clone's test command, served by the remote cache the first filled, ≤ 0.15x the first's",
  met: (figures: RemoteCacheFigures) => figures.second.time.median <= 0.15 * figures.first.time.median,
};
const baselineAim = {
  text: (figures: BaselineFigures) => `cold test command ≤ 0.6x the same command at ${figures.commit}, no test fewer`,
  met: (figures: BaselineFigures) =>
    figures.current.time.median <= 0.6 * figures.baseline.time.median &&
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
| first clone: cold, fills the remote cache | ${describeSeconds(first.time)} | 1.00x |
| second clone: served by the remote cache | ${describeSeconds(second.time)} | ${times(second.time.median, first.time.median)} |

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
| this tree | ${describeSeconds(current.time)} | ${times(current.time.median, baseline.time.median)} | ${runCounts(current)} |
| ${figures.commit} | ${describeSeconds(baseline.time)} | 1.00x | ${runCounts(baseline)} |

Aim: ${baselineAim.text(figures)}: ${verdict(baselineAim.met(figures))}.
`;
}

/** Seconds per operation beyond the one-operation run (vitest's start and the mock's): what each operation adds. */
function marginal(growth: ContractCost[], operations: number): number {
  const one = growth.find((size) => size.operations === 1)!;
  const size = growth.find((candidate) => candidate.operations === operations)!;
  return (size.time.median - one.time.median) / 1000 / (size.operations - one.operations);
}

const contractCostAim = {
  text: "contract tests flat per operation: each operation's added seconds at 100 operations ≤ 1.5x at 10",
  met: (figures: ContractCostFigures) => marginal(figures.growth, 100) <= 1.5 * marginal(figures.growth, 10),
};

const perOperation = (cost: ContractCost) => `${(cost.time.median / 1000 / cost.operations).toFixed(2)} s`;

export function contractCostSection(figures: ContractCostFigures): string {
  const total = figures.corpus.reduce((sum, cost) => sum + cost.time.median, 0);
  const operations = figures.corpus.reduce((sum, cost) => sum + cost.operations, 0);
  return `## 9. The contract tests, per operation

Each API's generated \`test/contract.test.ts\` (every derived case, at most \`maxCasesPerOperation\`, 40, per
operation) run in its package as the test command runs it, \`vitest run\` from start to exit, vitest's
start-up and the mock's included; the corpus generated in a scratch workspace (\`npm run corpus\`).

| API | operations | time | per operation |
| --- | --- | --- | --- |
${figures.corpus.map((cost) => `| \`${cost.api}\` | ${cost.operations} | ${describeSeconds(cost.time)} | ${perOperation(cost)} |`).join("\n")}
| all ${figures.corpus.length} | ${operations} | ${(total / 1000).toFixed(2)} s (sum of medians) | ${(total / 1000 / operations).toFixed(2)} s |

One API grown from 1 to 100 operations (the museum's eight, repeated under distinct paths):

| operations | time | per operation | each operation beyond the first adds |
| --- | --- | --- | --- |
${figures.growth.map((cost) => `| ${cost.operations} | ${describeSeconds(cost.time)} | ${perOperation(cost)} | ${cost.operations === 1 ? "" : `${marginal(figures.growth, cost.operations).toFixed(2)} s`} |`).join("\n")}

Aim: ${contractCostAim.text}: ${verdict(contractCostAim.met(figures))}.
`;
}
