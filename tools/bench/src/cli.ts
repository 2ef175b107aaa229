#!/usr/bin/env node
// Usage: npm run bench   (BENCH_RUNS=<n> sets the runs per figure; the test command gets fewer)
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "@contracts/registry";
import { measureBundles } from "./bundles.ts";
import { measureCallInstructions } from "./call-instructions.ts";
import { measureCalls } from "./calls.ts";
import { measureGrowth, measureRegeneration } from "./codegen.ts";
import { measureMocks } from "./mocks.ts";
import { benchmarkReport } from "./report.ts";
import { measureTestCommand } from "./test-command.ts";

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
  callInstructions: await step("per-call instructions (callgrind)", () => measureCallInstructions()),
  growth: await step("generation growth", () => measureGrowth([1, 10, 100, 1000], 3)),
  testCommand: await step("the test command (minutes)", () => measureTestCommand(Math.max(1, Math.ceil(runs / 2)))),
};
const report = await benchmarkReport(figures);
await writeFile(path.join(repoRoot, "docs", "benchmarks.md"), report);
console.log(report);
