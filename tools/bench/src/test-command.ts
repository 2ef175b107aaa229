import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "@contracts/registry";
import { measureCommand } from "./processes.ts";
import { type Sample, summarize } from "./stats.ts";

const testCommand = ["tools/test-all/src/cli.ts"];

/**
 * The whole test command three ways, interleaved run by run: cold (turbo's cache bypassed),
 * fully cached, and after one spec was edited (a comment added, so only its hash changes).
 */
export async function measureTestCommand(
  runs: number,
): Promise<{ cold: Sample; cached: Sample; oneSpecEdited: Sample }> {
  const spec = path.join(repoRoot, "specs", "bland.yaml");
  const original = await readFile(spec, "utf8");
  const cold: number[] = [];
  const cached: number[] = [];
  const edited: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      cold.push(await measureCommand("node", [...testCommand, "--force"], repoRoot));
      cached.push(await measureCommand("node", testCommand, repoRoot));
      await writeFile(spec, `${original}# benchmark edit ${Date.now()}\n`);
      edited.push(await measureCommand("node", testCommand, repoRoot));
      await writeFile(spec, original);
    }
  } finally {
    await writeFile(spec, original);
  }
  return { cold: summarize(cold), cached: summarize(cached), oneSpecEdited: summarize(edited) };
}
