#!/usr/bin/env node
// Usage: test-all [turbo flags...]   e.g. test-all --force
import { repoRoot } from "@contracts/registry";
import { runTestTasks, sumOutcomes } from "./index.ts";

const { exitCode, outcomes, since } = await runTestTasks(repoRoot, process.argv.slice(2));
const totals = await sumOutcomes(repoRoot, outcomes, since);
const cached = outcomes.filter((outcome) => outcome.cached).length;
const failedTasks = outcomes.filter((outcome) => outcome.exitCode !== 0).map((outcome) => outcome.taskId);

console.log(`\nTasks: ${outcomes.length} run (${cached} from cache)${failedTasks.length ? `, failed: ${failedTasks.join(", ")}` : ""}`);
const checkTasks = [...new Set(outcomes.filter((outcome) => outcome.task !== "test").map((outcome) => outcome.task))];
console.log(`Checks (${checkTasks.join(", ")}; one per task): ${totals.checks.passed} passed, ${totals.checks.failed} failed`);
const passed = totals.passed + totals.checks.passed;
const failed = totals.failed + totals.checks.failed;
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exitCode = exitCode !== 0 || failed > 0 ? 1 : 0;
