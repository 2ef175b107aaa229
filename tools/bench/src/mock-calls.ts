// One call of a generated client answered by its MSW handlers (in process, msw/node) and by the
// Prism mock of the same spec (a server on loopback), side by side: the same valid request, checked
// and answered with the spec's example by both.

import { createClient } from "@contracts/bland";
import { createHandlers } from "@contracts/bland/msw";
import { startMocks } from "@contracts/mock";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { describe, type Sample, summarize } from "./stats.ts";

export interface MockCallFigures {
  /** Milliseconds per call, each run the mean of `callsPerRun` calls in a row. */
  msw: Sample;
  /** A hand-written MSW handler answering a fixed body, checking nothing: what msw itself costs. */
  plainMsw: Sample;
  prism: Sample;
  callsPerRun: number;
}

const callsPerRun = 200;
const mswBaseUrl = "http://msw.bench.test";
const init = {
  params: { path: { org_id: "d122b4cf-1614-4124-aa28-15f81a09988f" } },
  body: { updates: { org_display_name: "Org Name" } },
};

/** Mean milliseconds per call of `calls` calls in a row to `baseUrl`, after as many to warm up. */
async function timeCalls(baseUrl: string, calls: number): Promise<number> {
  const client = createClient({ apiKey: "bench-key", baseUrl, maxRetries: 0 });
  const run = async () => {
    for (let call = 0; call < calls; call += 1) {
      const { status } = await client.updateOrgProperties(init);
      if (status !== 200) throw new Error(`${baseUrl} answered ${status}: the bench's request must be valid`);
    }
  };
  await run();
  const start = performance.now();
  await run();
  return (performance.now() - start) / calls;
}

/** Runs of `calls` calls with the handlers intercepting, in this process; the interception ends with the run. */
async function timeWithHandlers(handlers: Parameters<typeof setupServer>): Promise<number> {
  const server = setupServer(...handlers);
  server.listen({ onUnhandledFrame: "error" });
  try {
    return await timeCalls(mswBaseUrl, callsPerRun);
  } finally {
    server.close();
  }
}

/** Alternating runs of each; MSW intercepts only during its own runs, so the Prism calls pay nothing for it. */
export async function measureMockCalls(runs: number): Promise<MockCallFigures> {
  const mocks = await startMocks({ apis: ["bland"] });
  const fixedAnswer = http.patch(`${mswBaseUrl}/v1/orgs/:org_id/properties`, () =>
    HttpResponse.json({ data: { status: "success", message: "Organization properties updated" }, errors: null }),
  );
  const msw: number[] = [];
  const plainMsw: number[] = [];
  const prism: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      msw.push(await timeWithHandlers(createHandlers({ baseUrl: mswBaseUrl })));
      plainMsw.push(await timeWithHandlers([fixedAnswer]));
      prism.push(await timeCalls(mocks.urls.bland!, callsPerRun));
    }
  } finally {
    await mocks.stop();
  }
  return { msw: summarize(msw), plainMsw: summarize(plainMsw), prism: summarize(prism), callsPerRun };
}

/** The report's section. */
export function mockCallsSection({ msw, plainMsw, prism, callsPerRun }: MockCallFigures): string {
  return `## 4b. One call to a mock: MSW handlers in process vs the Prism mock

The generated Bland client's \`updateOrgProperties\` with the spec's example, answered with the spec's
200 example after the request is checked; each run is the mean of ${callsPerRun} calls in a row (after as many to warm up).

| mock | time per call | vs the Prism mock |
| --- | --- | --- |
| \`@contracts/bland/msw\` handlers (msw/node, in the test process) | ${describe(msw, "ms", 3)} | ${(msw.median / prism.median).toFixed(2)}x |
| a hand-written MSW handler with a fixed body, checking nothing (msw's own cost) | ${describe(plainMsw, "ms", 3)} | ${(plainMsw.median / prism.median).toFixed(2)}x |
| the Prism mock (\`npm run mock\`, loopback HTTP) | ${describe(prism, "ms", 3)} | 1.00x |
`;
}
