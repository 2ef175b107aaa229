// A public spec nobody here wrote, kept as published (Mistral AI's API: tools/fixtures/mistral), through
// the generated client as its README documents it: its event streams read, typed, from both mocks (a
// real Prism mock and the package's MSW handlers), a list paged by a cursor walked to its end with
// `client.paginate`, and calls meeting a 401 together sharing one refresh of their CredentialProvider.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { mistralRoot } from "@contracts/fixtures";
import type { Mocks } from "@contracts/mock";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPackageDir } from "../src/index.ts";
import { collect, type GeneratedModule, generatedWithMocks, removeScratchRepos } from "./scratch.ts";
import { typecheckGenerated } from "./typecheck.ts";

type Event = { data: unknown; event?: string; id?: string; retry?: number };
type Result = { status: number; data?: unknown; error?: unknown; stream?: AsyncIterable<Event>; response?: Response };
type Walk = AsyncIterable<unknown> & { pages(): AsyncIterable<Result> };
type MistralClient = Record<string, (init?: object) => Promise<Result>> & {
  paginate: Record<string, (init?: object) => Walk>;
};

let root: string;
let prism: Mocks;
let generated: GeneratedModule;
let msw: GeneratedModule;

beforeAll(async () => {
  ({ root, generated, msw, mocks: prism } = await generatedWithMocks(mistralRoot, "mistral"));
});

afterAll(async () => {
  await prism?.stop();
  await removeScratchRepos();
});

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

/** What a workflow event's data holds (`StreamEventSsePayload`'s required properties): the payload, not the event around it. */
const workflowEvent = {
  stream: expect.any(String),
  broker_sequence: expect.any(Number),
  workflow_context: expect.any(Object),
  data: expect.objectContaining({ event_type: expect.any(String), workflow_name: expect.any(String) }),
};

/** The workflow streams, each called as the README's stream example calls the first (a path parameter from the spec's example call). */
const workflowStreams: [string, object][] = [
  ["stream_v1_workflows_executions__execution_id__stream_get", { params: { path: { execution_id: "string" } } }],
  ["get_stream_events_v1_workflows_events_stream_get", { params: { query: { workflow_name: "nightly" } } }],
];

describe.each(mocks)("against %s", (_name, withMock) => {
  it.each(workflowStreams)(
    "%s: each event's data typed and parsed as the payload its schema's `data` describes",
    async (method, init) => {
      await withMock(async (client) => {
        const result = await client[method]!(init);
        expect(result.status, JSON.stringify(result.error)).toBe(200);
        const events = await collect(result.stream!);
        expect(events.length).toBeGreaterThan(0);
        for (const event of events) {
          expect(event.data).toMatchObject(workflowEvent);
          expect(Object.keys(event).every((field) => ["data", "event", "id", "retry"].includes(field))).toBe(true);
        }
      });
    },
  );

  it("streams a chat completion's chunks when the call asks for the stream (Accept), else answers its JSON", async () => {
    await withMock(async (client) => {
      const body = { model: "mistral-small-latest", messages: [{ role: "user", content: "Hi" }], stream: true };
      const call = client.chat_completion_v1_chat_completions_post!;
      const streamed = await call({ body, headers: { Accept: "text/event-stream" } });
      expect(streamed.status, JSON.stringify(streamed.error)).toBe(200);
      const chunks = await collect(streamed.stream!);
      expect(chunks.length).toBeGreaterThan(0);
      for (const { data } of chunks)
        expect(data).toMatchObject({ id: expect.any(String), model: expect.any(String), choices: expect.any(Array) });
      const whole = await call({ body: { ...body, stream: false } });
      expect(whole).not.toHaveProperty("stream");
      expect(whole.status).toBe(200);
      expect(whole.response!.headers.get("content-type")).toMatch(/^application\/json/);
    });
  });

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

describe("the Prism mock's event stream", () => {
  it("sends the event schema's `event`, `id` and `retry` as SSE's fields and its `data` as the data", async () => {
    const response = await fetch(`${prism.urls.mistral}/v1/workflows/events/stream`, {
      headers: { authorization: "Bearer test-key" },
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text).toMatch(/^event: string\nid: string\nretry: 0\ndata: \{"stream":"string",.*\}\n\n$/s);
    const client = generated.createClient({ apiKey: "test-key", baseUrl: prism.urls.mistral }) as MistralClient;
    const [event] = await collect((await client.get_stream_events_v1_workflows_events_stream_get!()).stream!);
    expect(event).toEqual({ event: "string", id: "string", retry: 0, data: JSON.parse(text.split("data: ")[1]!) });
  });
});

describe("the generated package", () => {
  /** A caller's code: each event's data typed as its schema's `data` (the payload), the walk's items as the list's. */
  const callerCode = `import { type Chat_completion_v1_chat_completions_postRequestBody, createClient, type Schemas } from "@contracts/mistral";

const client = createClient({ apiKey: "k" });
declare const body: Chat_completion_v1_chat_completions_postRequestBody;
export async function read(): Promise<unknown[]> {
  const seen: unknown[] = [];
  const result = await client.get_stream_events_v1_workflows_events_stream_get();
  if ("stream" in result)
    for await (const { data, event, id, retry } of result.stream) {
      const payload: Schemas["StreamEventSsePayload"] = data;
      seen.push(payload.data.event_type, payload.broker_sequence, event, id, retry);
      // @ts-expect-error the data is the payload, not the event around it
      seen.push(data.retry);
    }
  const chat = await client.chat_completion_v1_chat_completions_post({ body });
  if ("stream" in chat) for await (const { data } of chat.stream) seen.push(data.choices[0]?.delta.content, data.model);
  for await (const agent of client.paginate.agents_api_v1_agents_list_pages()) seen.push(agent.id, agent.name);
  return seen;
}
`;

  it("compiles a caller's streams and walks, and its README's examples", async () => {
    const dir = clientPackageDir({ id: "mistral", root });
    await writeFile(path.join(dir, "test", "caller.ts"), callerCode);
    const files = ["caller.ts", "stream-example.ts", "pagination-example.ts", "refresh-example.ts"];
    expect(
      typecheckGenerated(
        root,
        files.map((file) => path.join(dir, "test", file)),
      ),
    ).toEqual([]);
  });

  it("shows in its README's stream example a stream either mock serves as written (only a stream, on a path of its own)", async () => {
    const example = await readFile(
      path.join(clientPackageDir({ id: "mistral", root }), "test", "stream-example.ts"),
      "utf8",
    );
    expect(example).toContain(
      'await client.stream_v1_workflows_executions__execution_id__stream_get({\n  params: { path: { execution_id: "string" } },',
    );
  });

  it("holds each stream's events to the type of its schema's `data` in its calls' type tests", async () => {
    const file = path.join(clientPackageDir({ id: "mistral", root }), "test", "calls.test-d.ts");
    const lines = (await readFile(file, "utf8")).split("\n");
    const streamChecks = lines.flatMap((line, index) =>
      line.includes("expectTypeOf(result.stream)") ? [index + 1] : [],
    );
    // Seven of its nine streams name their event schema by a component (the two workflow streams' are inline).
    expect(streamChecks).toHaveLength(7);
    expect(typecheckGenerated(root, [file])).toEqual([]);
  });

  // What openapi-typescript types otherwise than the validators read it: `$defs` beside properties,
  // a default beside a `$ref` (typed as required), a stream alone, a JSON answer of `schema: {}`.
  it("compiles its every type test", async () => {
    const tests = path.join(clientPackageDir({ id: "mistral", root }), "test");
    const files = ["calls.test-d.ts", "types.test-d.ts"].map((name) => path.join(tests, name));
    expect(typecheckGenerated(root, files)).toEqual([]);
  });
});
