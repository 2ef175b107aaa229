// Per-call cost with a stubbed fetch, as openapi-fetch's own benchmark measures it.
// Run by `npm run bench` (src/calls.ts), which reads the rates from CALLS_OUTPUT.
import { writeFile } from "node:fs/promises";
import createFetchClient from "openapi-fetch";
import { test } from "vitest";
import { createClient, type paths } from "@contracts/bland";

const baseUrl = "https://api.bland.ai";
const answer = JSON.stringify({ data: { id: "org-1" }, errors: null });
const stubFetch = async (_request: Request) => new Response(answer, { status: 200, headers: { "content-type": "application/json" } });
const body = { updates: { org_display_name: "Org Name" } };

const generated = createClient({ apiKey: "key", baseUrl, fetch: stubFetch });
// The same request by hand: openapi-fetch with the key as a static header.
const bare = createFetchClient<paths>({ baseUrl, fetch: stubFetch, headers: { authorization: "key" } });

const variants = {
  "generated method": () => generated.updateOrgProperties({ params: { path: { org_id: "org-1" } }, body }),
  "bare openapi-fetch call": () => bare.PATCH("/v1/orgs/{org_id}/properties", { params: { path: { org_id: "org-1" } }, body }),
  "raw fetch": async () => {
    const request = new Request(`${baseUrl}/v1/orgs/${encodeURIComponent("org-1")}/properties`, {
      method: "PATCH",
      headers: { authorization: "key", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await stubFetch(request)).json();
  },
};

// Rounds rotate the order, since whichever variant runs first pays for warming up the JIT and GC.
const rounds = 6;

test("PATCH /v1/orgs/{org_id}/properties, one call", { timeout: 120_000 }, async ({ bench }) => {
  const names = Object.keys(variants) as (keyof typeof variants)[];
  const rates: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
    const results = await bench.compare(...order.map((name) => bench(name, variants[name])), { time: 700, warmupTime: 200 });
    for (const name of names) rates[name]!.push(results.get(name).throughput.mean);
  }
  if (process.env.CALLS_OUTPUT) await writeFile(process.env.CALLS_OUTPUT, JSON.stringify(rates));
});
