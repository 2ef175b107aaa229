// Per-call cost with a stubbed fetch, as openapi-fetch's own benchmark measures it.
// Run by `npm run bench` (src/calls.ts), which reads the rates from CALLS_OUTPUT.
import { writeFile } from "node:fs/promises";
import { test } from "vitest";
import { callVariants } from "../src/call-variants.ts";

// Rounds rotate the order, since whichever variant runs first pays for warming up the JIT and GC.
const rounds = 6;

test("PATCH /v1/orgs/{org_id}/properties, one call", { timeout: 120_000 }, async ({ bench }) => {
  const names = Object.keys(callVariants) as (keyof typeof callVariants)[];
  const rates: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
    const results = await bench.compare(...order.map((name) => bench(name, callVariants[name])), {
      time: 700,
      warmupTime: 200,
    });
    for (const name of names) rates[name]!.push(results.get(name).throughput.mean);
  }
  if (process.env.CALLS_OUTPUT) await writeFile(process.env.CALLS_OUTPUT, JSON.stringify(rates));
});
