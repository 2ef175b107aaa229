import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { type CallVariant, callVariants } from "./call-variants.ts";
import { summarize } from "./stats.ts";

export interface CallInstructions {
  name: CallVariant;
  /** CPU instructions one call executes, warm, as callgrind counts them. */
  perCall: number;
}

const loop = fileURLToPath(new URL("call-loop.ts", import.meta.url));

/** Instructions callgrind counts for a whole `node call-loop.ts <variant> <calls>` process. */
async function instructions(variant: CallVariant, calls: number): Promise<number> {
  const { stderr } = await execa("valgrind", [
    "--tool=callgrind",
    "--callgrind-out-file=/dev/null",
    process.execPath,
    loop,
    variant,
    String(calls),
  ]);
  const collected = /Collected : (\d+)/.exec(stderr);
  if (!collected) throw new Error(`callgrind printed no instruction count for ${variant}:\n${stderr}`);
  return Number(collected[1]);
}

/**
 * Per-call cost as instruction counts. Each variant runs in two processes, with the same warm-up
 * and `calls` calls more in one: the difference is what those calls cost, start-up left out. A
 * garbage collection or a JIT tier-up landing in one process and not the other moves a single
 * difference by several times (seen: 1.28x and 4.03x for the same code), so the figure is the
 * median of `pairs` differences.
 */
export async function measureCallInstructions(calls = 3000, pairs = 3): Promise<CallInstructions[]> {
  const results: CallInstructions[] = [];
  for (const name of Object.keys(callVariants) as CallVariant[]) {
    const differences: number[] = [];
    for (let pair = 0; pair < pairs; pair += 1) {
      const [base, more] = await Promise.all([instructions(name, 0), instructions(name, calls)]);
      differences.push((more - base) / calls);
    }
    results.push({ name, perCall: Math.round(summarize(differences).median) });
  }
  return results;
}
