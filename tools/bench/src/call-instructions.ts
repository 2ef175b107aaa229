import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { type CallVariant, callVariants } from "./call-variants.ts";

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
 * Per-call cost as instruction counts: unlike wall time on a shared machine, they repeat to
 * within a fraction of a percent. Each variant runs in two processes, with the same warm-up and
 * `calls` calls more in one: the difference is what those calls cost, start-up and JIT left out.
 */
export async function measureCallInstructions(calls = 3000): Promise<CallInstructions[]> {
  const results: CallInstructions[] = [];
  for (const name of Object.keys(callVariants) as CallVariant[]) {
    const [base, more] = await Promise.all([instructions(name, 0), instructions(name, calls)]);
    results.push({ name, perCall: Math.round((more - base) / calls) });
  }
  return results;
}
