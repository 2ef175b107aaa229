import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import { execa } from "execa";
import { type Sample, summarize } from "./stats.ts";

export interface CallRate {
  name: string;
  /** Calls per second, over the rounds of the bench. */
  rate: Sample;
}

/** Runs `bench/calls.bench.ts` with Vitest bench; returns each variant's rate. */
export async function measureCalls(): Promise<CallRate[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "bench-calls-"));
  try {
    const output = path.join(dir, "calls.json");
    await execa("vitest", ["bench", "--run"], {
      cwd: path.join(repoRoot, "tools", "bench"),
      preferLocal: true,
      env: { CALLS_OUTPUT: output },
    });
    const rounds = JSON.parse(await readFile(output, "utf8")) as Record<string, number[]>;
    return Object.entries(rounds).map(([name, rates]) => ({ name, rate: summarize(rates) }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
