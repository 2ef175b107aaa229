#!/usr/bin/env node
import { parseCli } from "@contracts/cli";
import { repoRoot } from "@contracts/spec";
import { runTestTasks, sumOutcomes } from "./index.ts";

const usage = `Usage: test-all [--force] [--filter <package> ...] [--concurrency <n>] [-- <turbo flags>]

Runs every check and test through turbo and sums them in one line.
  --force               ignore turbo's cache (also: TURBO_FORCE=true)
  --filter <package>    only these packages (turbo's --filter syntax)
  --concurrency <n>     at most n tasks at once
  -- <turbo flags>      anything after -- goes to \`turbo run\` as it is`;

const { values, passThrough } = parseCli(usage, {
  passThrough: true,
  options: {
    force: { type: "boolean", default: false },
    filter: { type: "string", multiple: true, default: [] },
    concurrency: { type: "string" },
  },
});
const turboArgs = [
  ...(values.force ? ["--force"] : []),
  ...values.filter.map((filter) => `--filter=${filter}`),
  ...(values.concurrency ? [`--concurrency=${values.concurrency}`] : []),
  ...passThrough,
];
const { exitCode, outcomes, since } = await runTestTasks(repoRoot, turboArgs);
const totals = await sumOutcomes(repoRoot, outcomes, since);
const cached = outcomes.filter((outcome) => outcome.cached).length;
const failedTasks = outcomes.filter((outcome) => outcome.exitCode !== 0).map((outcome) => outcome.taskId);

console.log(
  `\nTasks: ${outcomes.length} run (${cached} from cache)${failedTasks.length ? `, failed: ${failedTasks.join(", ")}` : ""}`,
);
const checkTasks = [...new Set(outcomes.filter((outcome) => outcome.task !== "test").map((outcome) => outcome.task))];
console.log(
  `Checks (${checkTasks.join(", ")}; one per task, typecheck one per package): ${totals.checks.passed} passed, ${totals.checks.failed} failed`,
);
const passed = totals.passed + totals.checks.passed;
const failed = totals.failed + totals.checks.failed;
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exitCode = exitCode !== 0 || failed > 0 ? 1 : 0;
