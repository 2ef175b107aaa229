#!/usr/bin/env node
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCli, repoRoot } from "@contracts/registry";
import { measureBundles } from "./bundles.ts";
import { measureCalls } from "./calls.ts";
import { measureGrowth, measureRegeneration } from "./codegen.ts";
import { measureMocks } from "./mocks.ts";
import { benchmarkReport } from "./report.ts";
import { measureTestCommand } from "./test-command.ts";

parseCli(
  `Usage: npm run bench   (no flags; BENCH_RUNS=<n> sets the runs per figure, the test command gets fewer)

Measures the toolchain side by side with the plain tools and writes docs/benchmarks.md.`,
  {},
);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const step = async <T>(label: string, measure: () => Promise<T>): Promise<T> => {
  console.log(`measuring ${label}...`);
  return measure();
};

const figures = {
  bundles: await step("bundle sizes", measureBundles),
  regeneration: await step("regeneration", () => measureRegeneration(runs)),
  mocks: await step("mock start-up", () => measureMocks(runs)),
  calls: await step("per-call cost", measureCalls),
  growth: await step("generation growth", () => measureGrowth([1, 10, 100, 1000], 3)),
  testCommand: await step("the test command (minutes)", () => measureTestCommand(Math.max(1, Math.ceil(runs / 2)))),
};
const report = await benchmarkReport(figures);
await writeFile(path.join(repoRoot, "docs", "benchmarks.md"), report);
console.log(report);
