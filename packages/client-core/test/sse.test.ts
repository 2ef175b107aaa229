import type { Client } from "openapi-fetch";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type ApiDescription,
  ApiUserAbortError,
  createApiClient,
  type OperationMethod,
  type ServerSentEvent,
  StreamEventError,
} from "../src/index.ts";
import { eventStreamText } from "../src/mock.ts";

/** No parameters, as openapi-typescript emits it. */
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };
/** A path whose GET takes nothing and answers 200 with an event stream of `Events`, as openapi-typescript emits it. */
type EventsGet<Events> = {
  parameters: NoParameters;
  get: {
    parameters: NoParameters;
    requestBody?: never;
    responses: { 200: { headers: Record<string, unknown>; content: { "text/event-stream": Events } } };
  };
};

/** Event streams, as openapi-typescript would emit them: JSON ticks, completions, text lines, events described whole. */
interface StreamPaths {
  "/ticks": {
    parameters: NoParameters;
    get: {
      parameters: NoParameters;
      requestBody?: never;
      responses: {
        200: { headers: Record<string, unknown>; content: { "text/event-stream": { price: number } } };
        401: { headers: Record<string, unknown>; content: { "application/json": { detail: string } } };
      };
    };
  };
  "/completions": {
    parameters: NoParameters;
    post: {
      parameters: NoParameters;
      requestBody: { content: { "application/json": { stream: boolean } } };
      responses: {
        200: {
          headers: Record<string, unknown>;
          content: { "application/json": { text: string }; "text/event-stream": { delta: string } };
        };
      };
    };
  };
  "/log": EventsGet<string>;
  /** Events whose schema describes the event itself (SSE's fields, as OpenAPI 3.2's example and Mistral write it). */
  "/progress": EventsGet<{ event?: "progress" | "done"; data?: { percent: number }; id?: string; retry?: number }>;
  /** Events whose data has a `data` property beside others: the schema describes the data. */
  "/pages": EventsGet<{ data: string[]; page: number }>;
}

interface StreamsClient extends Client<StreamPaths> {
  streamTicks: OperationMethod<StreamPaths, "/ticks", "get">;
  streamLog: OperationMethod<StreamPaths, "/log", "get">;
  complete: OperationMethod<StreamPaths, "/completions", "post">;
  streamProgress: OperationMethod<StreamPaths, "/progress", "get">;
  streamPages: OperationMethod<StreamPaths, "/pages", "get">;
}

const streams: ApiDescription = {
  title: "Streams API",
  defaultBaseUrl: "https://streams.test",
  operations: {
    streamTicks: ["get", "/ticks", true, { stream: "json" }],
    streamLog: ["get", "/log", true, { stream: "text" }],
    complete: ["post", "/completions", false, { stream: "json", accept: "application/json, text/event-stream" }],
    streamProgress: ["get", "/progress", true, { stream: "json" }],
    streamPages: ["get", "/pages", true, { stream: "json" }],
  },
  validators: () => Promise.reject(new Error("not used")),
};

/** A body that sends `chunks` then ends, or stays open; `cancelled` settles when the client cancels it (its connection freed). */
function sseBody(chunks: string[], { end = true } = {}) {
  let cancelled!: (reason: unknown) => void;
  const whenCancelled = new Promise<unknown>((resolve) => {
    cancelled = resolve;
  });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      if (end) controller.close();
    },
    cancel: (reason) => cancelled(reason),
  });
  return { body, whenCancelled };
}

function clientAnswering(body: BodyInit, contentType = "text/event-stream") {
  const response = new Response(body, { headers: { "content-type": contentType } });
  return createApiClient<StreamsClient>(streams, { fetch: async () => response });
}

async function eventsOf(stream: AsyncIterable<ServerSentEvent>) {
  const events: ServerSentEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe("an operation answering text/event-stream", () => {
  it("gives its events as the standard reads them: multi-line data, comments, event, id and retry, CRLF, split chunks", async () => {
    const { body } = sseBody([
      ": a comment\r\nevent: line\r\nid: 1\r\ndata: first\r\ndata: second\r\n\r\n",
      "retry: 5000\nid: 2\nda",
      "ta: third\n\n",
    ]);
    const result = await clientAnswering(body).streamLog();
    if (!("stream" in result)) throw new Error(`no stream: ${result.status}`);
    expectTypeOf(result.stream).toEqualTypeOf<AsyncIterable<ServerSentEvent<string>>>();
    expect(result.data).toBeUndefined();
    expect(await eventsOf(result.stream)).toEqual([
      { data: "first\nsecond", event: "line", id: "1" },
      { data: "third", id: "2", retry: 5000 },
    ]);
  });

  it("parses each event's data as JSON where its schema is JSON", async () => {
    const { body } = sseBody(['data: {"price": 10.5}\n\n', "data: [1,\ndata: 2]\n\n"]);
    const result = await clientAnswering(body).streamTicks();
    if (!("stream" in result)) throw new Error(`no stream: ${result.status}`);
    expectTypeOf(result.stream).toEqualTypeOf<AsyncIterable<ServerSentEvent<{ price: number }>>>();
    expect(await eventsOf(result.stream)).toEqual([{ data: { price: 10.5 } }, { data: [1, 2] }]);
  });

  it("throws a StreamEventError naming the operation and the event for data that is not JSON, and frees the connection", async () => {
    const { body, whenCancelled } = sseBody(['data: {"price": 1}\n\n', "event: tick\nid: 7\ndata: {oops\n\n"], {
      end: false,
    });
    const result = await clientAnswering(body).streamTicks();
    if (!("stream" in result)) throw new Error(`no stream: ${result.status}`);
    const read: unknown[] = [];
    const failure = await (async () => {
      for await (const event of result.stream) read.push(event.data);
    })().catch((error: unknown) => error);
    expect(read).toEqual([{ price: 1 }]);
    expect(failure).toBeInstanceOf(StreamEventError);
    expect((failure as StreamEventError).message).toMatch(
      /^An event \("tick", id 7\) of GET \/ticks's stream .*data: \{oops$/,
    );
    expect((failure as StreamEventError).event).toEqual({ data: "{oops", event: "tick", id: "7" });
    await whenCancelled;
  });

  it("ends when the call's signal aborts: the loop throws ApiUserAbortError and the body is cancelled", async () => {
    const { body, whenCancelled } = sseBody(["data: 1\n\n"], { end: false });
    const controller = new AbortController();
    const result = await clientAnswering(body).streamLog({ signal: controller.signal });
    if (!("stream" in result)) throw new Error(`no stream: ${result.status}`);
    const failure = (async () => {
      for await (const event of result.stream) if (event.data === "1") controller.abort("enough");
    })().catch((error: unknown) => error);
    expect(await failure).toBeInstanceOf(ApiUserAbortError);
    expect(((await failure) as ApiUserAbortError).cause).toBe("enough");
    await whenCancelled;
  });

  it("cancels the body when the caller leaves the loop early", async () => {
    const { body, whenCancelled } = sseBody(["data: 1\n\ndata: 2\n\n"], { end: false });
    const result = await clientAnswering(body).streamLog();
    if (!("stream" in result)) throw new Error(`no stream: ${result.status}`);
    for await (const _event of result.stream) break;
    await whenCancelled;
  });

  it("streams an operation that also answers JSON only when its answer is an event stream, as the request chose", async () => {
    const { body } = sseBody(['data: {"delta": "Hel"}\n\n', 'data: {"delta": "lo"}\n\n']);
    const streamed = await clientAnswering(body).complete({ body: { stream: true } });
    if (!("stream" in streamed)) throw new Error(`no stream: ${streamed.status}`);
    expectTypeOf(streamed.stream).toEqualTypeOf<AsyncIterable<ServerSentEvent<{ delta: string }>>>();
    expect(await eventsOf(streamed.stream)).toEqual([{ data: { delta: "Hel" } }, { data: { delta: "lo" } }]);
    const whole = await clientAnswering('{"text": "Hello"}', "application/json").complete({ body: { stream: false } });
    expect(whole).not.toHaveProperty("stream");
    expect(whole.data).toEqual({ text: "Hello" });
  });

  it("types an event schema of SSE's fields by its data, and any other schema as the data", async () => {
    const events = [
      { event: "progress", id: "1", data: { percent: 50 } },
      { event: "done", id: "2", retry: 1000, data: { percent: 100 } },
    ];
    const result = await clientAnswering(eventStreamText(events, true)).streamProgress();
    if (!("stream" in result)) throw new Error(`no stream: ${result.status}`);
    expectTypeOf(result.stream).toEqualTypeOf<AsyncIterable<ServerSentEvent<{ percent: number }>>>();
    expect(await eventsOf(result.stream)).toEqual(events);
    const pages = await clientAnswering(eventStreamText({ data: ["a"], page: 1 })).streamPages();
    if (!("stream" in pages)) throw new Error(`no stream: ${pages.status}`);
    expectTypeOf(pages.stream).toEqualTypeOf<AsyncIterable<ServerSentEvent<{ data: string[]; page: number }>>>();
    expect(await eventsOf(pages.stream)).toEqual([{ data: { data: ["a"], page: 1 } }]);
  });

  it("gives an error answer as any other, without a stream", async () => {
    const response = new Response('{"detail":"missing key"}', {
      status: 401,
      headers: { "content-type": "application/json" },
    });
    const result = await createApiClient<StreamsClient>(streams, { fetch: async () => response }).streamTicks();
    expect(result).not.toHaveProperty("stream");
    expect(result.error).toEqual({ detail: "missing key" });
  });
});

describe("eventStreamText, the mocks' event stream", () => {
  it("serves SSE text as written", () => {
    expect(eventStreamText("event: a\ndata: x\n\n")).toBe("event: a\ndata: x\n\n");
  });

  it("writes an array as one event per item and any other value as one, each its JSON on data lines", () => {
    expect(eventStreamText([{ price: 1 }, "two\nlines", 3])).toBe(
      'data: {"price":1}\n\ndata: two\ndata: lines\n\ndata: 3\n\n',
    );
    expect(eventStreamText({ price: 1 })).toBe('data: {"price":1}\n\n');
  });

  it("writes each event field by field where the schema describes the event itself, each field on its own line", () => {
    expect(eventStreamText([{ event: "tick", id: 7, retry: 500, data: { price: 1 } }, { data: "a\nb" }], true)).toBe(
      'event: tick\nid: 7\nretry: 500\ndata: {"price":1}\n\ndata: a\ndata: b\n\n',
    );
    // Made-up values: a line break would end the field, a retry that is not whole ms is no retry.
    expect(eventStreamText({ event: "a\nb", id: "x\r\ny", retry: -1.5, data: 1 }, true)).toBe(
      "event: a b\nid: x y\ndata: 1\n\n",
    );
  });
});
