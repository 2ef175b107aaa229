// A public spec nobody here wrote, kept as published (Mistral AI's API: tools/fixtures/mistral), through
// the generated client as its README documents it: its event streams read, typed, from both mocks (a
// real Prism mock and the package's MSW handlers), a list paged by a cursor walked to its end with
// `client.paginate`, and calls meeting a 401 together sharing one refresh of their CredentialProvider.
import path from "node:path";
import { mistralRoot } from "@contracts/fixtures";
import { type Mocks, startMocks } from "@contracts/mock";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPackageDir } from "../src/index.ts";
import { generatedModule, removeScratchRepos, scratchRepo } from "./scratch.ts";

type Event = { data: unknown; event?: string; id?: string; retry?: number };
type Result = { status: number; data?: unknown; error?: unknown; stream?: AsyncIterable<Event> };
type Walk = AsyncIterable<unknown> & { pages(): AsyncIterable<Result> };
type MistralClient = Record<string, (init?: object) => Promise<Result>> & {
  paginate: Record<string, (init?: object) => Walk>;
};

let root: string;
let prism: Mocks;
// biome-ignore lint/suspicious/noExplicitAny: the generated modules' exports, read as the tests use them
let generated: Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: as above
let msw: Record<string, any>;

beforeAll(async () => {
  root = await scratchRepo(mistralRoot);
  generated = await generatedModule(root, "mistral");
  msw = await import(path.join(clientPackageDir({ id: "mistral", root }), "src", "msw.ts"));
  prism = await startMocks({ root, apis: ["mistral"] });
});

afterAll(async () => {
  await prism?.stop();
  await removeScratchRepos();
});

const collect = async <T>(iterable: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
};

/** Against the Prism mock, and against the package's MSW handlers (a server listening for the test's length). */
const mocks: [string, (run: (client: MistralClient, options: object) => Promise<void>) => Promise<void>][] = [
  [
    "the Prism mock",
    async (run) => {
      const options = { baseUrl: prism.urls.mistral };
      await run(generated.createClient({ apiKey: "test-key", ...options }), options);
    },
  ],
  [
    "the MSW handlers",
    async (run) => {
      const server = setupServer(...msw.handlers);
      server.listen({ onUnhandledFrame: "error" });
      try {
        await run(generated.createClient({ apiKey: "test-key" }), {});
      } finally {
        server.close();
      }
    },
  ],
];

describe.each(mocks)("against %s", (_name, withMock) => {
  it("walks a list paged by a cursor (next_page_token, page_token) to its end", async () => {
    await withMock(async (client) => {
      const pages = await collect(client.paginate.agents_api_v1_agents_list_pages!().pages());
      expect(pages.map(({ status }) => status)).toEqual([200, 200, 200]);
      const tokens = pages.map(({ data }) => (data as { next_page_token: unknown }).next_page_token);
      expect(tokens).toEqual(["2", "3", null]);
      const items = await collect(
        client.paginate.agents_api_v1_agents_list_pages!({ params: { query: { page_size: 5 } } }),
      );
      const first = (pages[0]!.data as { data: unknown[] }).data;
      expect(first.length).toBeGreaterThan(0);
      expect(items).toEqual([...first, ...first, ...first]);
    });
  });

  it("refreshes a key once for calls that meet a 401 together, then sends each again with the new key", async () => {
    await withMock(async (_client, options) => {
      let key = "";
      let refreshes = 0;
      const keys = {
        current: () => key,
        refresh: async () => {
          refreshes += 1;
          key = "fresh-key";
          return key;
        },
      };
      // Every request as sent and answered: the mocks take any key but refuse a missing or empty one with 401.
      const sent: { authorization: string | null; status: number }[] = [];
      const fetch = async (request: Request) => {
        const response = await globalThis.fetch(request);
        sent.push({ authorization: request.headers.get("authorization"), status: response.status });
        return response;
      };
      const client: MistralClient = generated.createClient({ apiKey: keys, fetch, ...options });
      const results = await Promise.all(Array.from({ length: 4 }, () => client.list_models_v1_models_get!()));
      expect(results.map(({ status }) => status)).toEqual([200, 200, 200, 200]);
      expect(refreshes).toBe(1);
      expect(sent.filter(({ status }) => status === 401)).toHaveLength(4);
      expect(sent.filter(({ status }) => status === 200)).toEqual(
        Array(4).fill({ authorization: "Bearer fresh-key", status: 200 }),
      );
    });
  });
});
