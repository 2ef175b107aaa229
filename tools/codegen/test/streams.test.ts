import { readFile } from "node:fs/promises";
import path from "node:path";
import { streamsRoot } from "@contracts/fixtures";
import type { Mocks } from "@contracts/mock";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPackageDir } from "../src/index.ts";
import { type GeneratedModule, generatedWithMocks, removeScratchRepos } from "./scratch.ts";

// The generated client of an API whose operations answer text/event-stream, reading its typed
// events from both mocks: a real Prism mock and the package's MSW handlers.

type Events = { data: unknown; event?: string; id?: string; retry?: number }[];
type StreamResult = { status: number; stream?: AsyncIterable<Events[number]>; error?: unknown };
type StreamsClient = Record<"streamTicks" | "streamLog" | "streamAlerts", (init?: object) => Promise<StreamResult>>;

let root: string;
let mocks: Mocks;
let client: GeneratedModule;
let msw: GeneratedModule;

beforeAll(async () => {
  ({ root, generated: client, msw, mocks } = await generatedWithMocks(streamsRoot, "ticker"));
});

afterAll(async () => {
  await mocks?.stop();
  await removeScratchRepos();
});

async function eventsOf(result: StreamResult): Promise<Events> {
  expect(result.status, JSON.stringify(result.error)).toBe(200);
  const events: Events = [];
  for await (const event of result.stream!) events.push(event);
  return events;
}

/** What both mocks must stream, through the generated client: the spec's examples, else events made up to fit. */
async function expectStreams(streams: StreamsClient) {
  expect(await eventsOf(await streams.streamTicks({ params: { query: { symbol: "ACME" } } }))).toEqual([
    { data: { symbol: "ACME", price: 10.5 } },
  ]);
  expect(await eventsOf(await streams.streamLog())).toEqual([
    { data: "started", event: "line", id: "1" },
    { data: "first line\nsecond line", event: "line", id: "2", retry: 5000 },
  ]);
  const alerts = await eventsOf(await streams.streamAlerts());
  expect(alerts.length).toBeGreaterThan(0);
  for (const { data } of alerts) {
    expect(data).toMatchObject({ level: expect.stringMatching(/^(info|warning)$/), message: expect.any(String) });
  }
}

describe("a generated client's event streams", () => {
  it("reads the Prism mock's events, typed, from a real server", async () => {
    await expectStreams(client.createClient({ apiKey: "test-key", baseUrl: mocks.urls.ticker }));
  });

  it("reads the same events from the package's MSW handlers", async () => {
    const server = setupServer(...msw.handlers);
    server.listen({ onUnhandledFrame: "error" });
    try {
      await expectStreams(client.createClient({ apiKey: "test-key" }));
    } finally {
      server.close();
    }
  });

  it("answers as real SSE from the Prism mock: its media type, events ended by blank lines, then the end", async () => {
    const response = await fetch(`${mocks.urls.ticker}/ticks?symbol=ACME`, { headers: { "x-api-key": "test-key" } });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(await response.text()).toBe('data: {"symbol":"ACME","price":10.5}\n\n');
  });

  it("documents streams in the README with the example its type check compiles", async () => {
    const packageDir = clientPackageDir({ id: "ticker", root });
    const [readme, example] = await Promise.all([
      readFile(path.join(packageDir, "README.md"), "utf8"),
      readFile(path.join(packageDir, "test", "stream-example.ts"), "utf8"),
    ]);
    expect(readme).toContain("## Streams");
    expect(readme).toContain(example.split("\n").slice(2).join("\n"));
  });
});
