#!/usr/bin/env node
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCli } from "@contracts/cli";
import { repoRoot } from "@contracts/spec";
import { measureBundles } from "./bundles.ts";
import { measureCallInstructions } from "./call-instructions.ts";
import { measureCalls } from "./calls.ts";
import { coldRunChart } from "./chart.ts";
import { baselineCommit, measureAgainstBaseline, measureRemoteCache } from "./clones.ts";
import { measureGrowth, measureRegeneration } from "./codegen.ts";
import { measureContractCost } from "./contract-cost.ts";
import { giantsSection, measureGiants } from "./giants.ts";
import { measureMockCalls, mockCallsSection } from "./mock-calls.ts";
import { measureMocks } from "./mocks.ts";
import {
  baselineSection,
  benchmarkReport,
  coldRunChartFile,
  contractCostSection,
  type Figures,
  remoteCacheSection,
} from "./report.ts";
import { measureTestCommand } from "./test-command.ts";

const runs = Number(process.env.BENCH_RUNS ?? 7);
// The test command takes minutes a run: fewer runs of it, fewer still of the steps that clone and install.
const testRuns = Math.max(1, Math.ceil(runs / 2));
const cloneRuns = Math.max(1, Math.ceil(runs / 4));

interface Step<K extends keyof Figures> {
  figure: K;
  label: string;
  measure: () => Promise<Figures[K]>;
  /** How a run of this step alone prints its figures (default: JSON, milliseconds). */
  section?: (figures: Figures[K]) => string;
}
const step = <K extends keyof Figures>(definition: Step<K>) => definition;

const steps = {
  bundles: step({ figure: "bundles", label: "bundle sizes", measure: measureBundles }),
  regeneration: step({ figure: "regeneration", label: "regeneration", measure: () => measureRegeneration(runs) }),
  mocks: step({ figure: "mocks", label: "mock start-up", measure: () => measureMocks(runs) }),
  calls: step({ figure: "calls", label: "per-call cost", measure: measureCalls }),
  "mock-calls": step({
    figure: "mockCalls",
    label: "one call to the MSW handlers vs the Prism mock",
    measure: () => measureMockCalls(runs),
    section: mockCallsSection,
  }),
  "call-instructions": step({
    figure: "callInstructions",
    label: "per-call instructions (callgrind)",
    measure: measureCallInstructions,
  }),
  giants: step({
    figure: "giants",
    label: "the giants (large vendor specs), each stage beside its anchor",
    measure: () => measureGiants(Math.max(1, Math.ceil(runs / 3))),
    section: giantsSection,
  }),
  growth: step({ figure: "growth", label: "generation growth", measure: () => measureGrowth([1, 10, 100, 1000], 3) }),
  "test-command": step({
    figure: "testCommand",
    label: "the test command (minutes)",
    measure: () => measureTestCommand(testRuns),
  }),
  "contract-cost": step({
    figure: "contractCost",
    label: "the contract tests per operation: the corpus, and one API of 1, 10 and 100 operations (minutes)",
    measure: () => measureContractCost(testRuns),
    section: contractCostSection,
  }),
  "remote-cache": step({
    figure: "remoteCache",
    label: "two fresh clones sharing one remote cache (clones, installs, minutes)",
    measure: () => measureRemoteCache(cloneRuns),
    section: remoteCacheSection,
  }),
  baseline: step({
    figure: "baseline",
    label: "the cold test command against the baseline commit (a clone and install, minutes)",
    measure: () => measureAgainstBaseline(testRuns, values.baseline),
    section: baselineSection,
  }),
};
type StepName = keyof typeof steps;

const usage: string = `Usage: npm run bench -- [--only <step>,<step>...] [--baseline <commit>]

Measures the toolchain side by side with the plain tools (BENCH_RUNS=<n> sets the runs per figure,
default 7). All steps write docs/benchmarks.md; --only runs the named steps and prints their figures.
  --only <steps>       any of: ${Object.keys(steps).join(", ")}
  --baseline <commit>  what the baseline step compares the cold test command with (default ${baselineCommit})`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

const { values } = parseCli(usage, {
  options: { only: { type: "string" }, baseline: { type: "string", default: baselineCommit } },
});
const selected = (values.only?.split(",").map((name) => name.trim()) ?? Object.keys(steps)) as StepName[];
const unknown = selected.filter((name) => !(name in steps));
if (unknown.length > 0) fail(`Unknown step ${unknown.map((name) => `"${name}"`).join(", ")}.`);

const figures: Partial<Figures> = {};
for (const name of selected) {
  const { figure, label, measure } = steps[name];
  console.log(`measuring ${label}...`);
  Object.assign(figures, { [figure]: await measure() });
}

if (values.only) {
  for (const name of selected) {
    const { figure, section } = steps[name] as Step<keyof Figures>;
    console.log(`\n${name}:\n${section ? section(figures[figure]!) : JSON.stringify(figures[figure], null, 2)}`);
  }
} else {
  const report = await benchmarkReport(figures as Figures);
  await writeFile(path.join(repoRoot, "docs", "benchmarks.md"), report);
  await writeFile(path.join(repoRoot, "docs", coldRunChartFile), coldRunChart(figures.testCommand!.coldTasks));
  console.log(report);
}
