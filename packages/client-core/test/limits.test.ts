// Timeouts, retries and the error family: what a caller of a flaky API relies on. Waits run on
// fake timers; the failures that need a socket (refused, never answered) use real loopback servers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import {
  ApiClientError,
  ApiConnectionError,
  ApiTimeoutError,
  ApiUserAbortError,
  type ClientOptions,
  createApiClient,
} from "../src/index.ts";
import { retryDelay } from "../src/retries.ts";
import { jsonResponse, recordingFetch, renamed, type ThingsClient, thingId, things } from "./things.ts";

const apiKey = "limits-test-key-52e1b7";
const create = (options: ClientOptions = {}, api = things) =>
  createApiClient<ThingsClient>(api, { apiKey, ...options });

/** A fetch giving `answers` in turn (the last one from then on), recording when each request came. */
function answering(...answers: (() => Response)[]) {
  const times: number[] = [];
  const { fetch, requests } = recordingFetch(() => {
    times.push(Date.now());
    return answers[Math.min(requests.length, answers.length) - 1]!();
  });
  return { fetch, requests, times };
}
const busy =
  (headers: Record<string, string> = {}) =>
  () =>
    jsonResponse(503, { message: "busy" }, headers);
const ok = () => jsonResponse(200, { name: "renamed" });

describe("retries", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    vi.spyOn(Math, "random").mockReturnValue(0); // no jitter: backoff is 500 ms, 1 s, 2 s ...
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("retries 503, 503 after 0.5 s and 1 s and gives the data of the third answer, the whole body and key each time", async () => {
    const server = answering(busy(), busy(), ok);
    const result = create({ fetch: server.fetch }).putThing(renamed);
    await vi.advanceTimersByTimeAsync(1499);
    expect(server.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toMatchObject({ data: { name: "renamed" }, status: 200 });
    expect(server.times.map((time) => time - server.times[0]!)).toEqual([0, 500, 1500]);
    const bodies = await Promise.all(server.requests.map((request) => request.json()));
    expect(bodies).toEqual([renamed.body, renamed.body, renamed.body]);
    expect(server.requests.every((request) => request.headers.get("authorization") === `Bearer ${apiKey}`)).toBe(true);
  });

  it.each([
    ["Retry-After in seconds", { "retry-after": "2" }, 2000],
    ["retry-after-ms before Retry-After", { "retry-after-ms": "1200", "retry-after": "0" }, 1200],
  ])("waits as long as %s says", async (_case, headers, wait) => {
    const server = answering(busy(headers), ok);
    const result = create({ fetch: server.fetch }).putThing(renamed);
    await vi.advanceTimersByTimeAsync(wait - 1);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await result).status).toBe(200);
  });

  it("returns a 429 at once when Retry-After asks for longer than the time left", async () => {
    const server = answering(() => jsonResponse(429, { message: "come back in an hour" }, { "retry-after": "3600" }));
    const result = await create({ fetch: server.fetch }).putThing(renamed);
    expect(result).toMatchObject({ status: 429, error: { message: "come back in an hour" } });
    expect(server.requests).toHaveLength(1);
  });

  it.each([400, 401, 404, 422])("sends a request answered %i once", async (status) => {
    const server = answering(() => jsonResponse(status, { message: "no" }), ok);
    expect((await create({ fetch: server.fetch }).putThing(renamed)).status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it.each([408, 409, 429, 500, 502])("retries %i", async (status) => {
    const server = answering(() => jsonResponse(status, { message: "again" }), ok);
    const result = create({ fetch: server.fetch }).putThing(renamed);
    await vi.runAllTimersAsync();
    expect((await result).status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("sends once with maxRetries: 0, per client or per call", async () => {
    const server = answering(busy());
    expect((await create({ fetch: server.fetch, maxRetries: 0 }).putThing(renamed)).status).toBe(503);
    expect((await create({ fetch: server.fetch }).putThing({ ...renamed, maxRetries: 0 })).status).toBe(503);
    expect(server.requests).toHaveLength(2);
  });

  const calls: [string, (client: ThingsClient) => Promise<unknown>][] = [
    ["GET (typed)", (client) => client.getThing(thingId)],
    ["PUT (typed)", (client) => client.putThing(renamed)],
    ["PUT (raw)", (client) => client.PUT("/things/{id}", renamed)],
    ["PATCH (typed)", (client) => client.updateThing(renamed)],
    ["PATCH (raw)", (client) => client.PATCH("/things/{id}", renamed)],
    ["POST (typed)", (client) => client.createThing({ body: { name: "new" } })],
    ["POST (raw)", (client) => client.POST("/things", { body: { name: "new" } })],
  ];
  it.each(calls)("retries %s by default exactly when the generated table says, on either path", async (name, call) => {
    for (const retried of [true, false]) {
      const operations = Object.fromEntries(
        Object.entries(things.operations).map(([id, [method, path]]) => [id, [method, path, retried] as const]),
      );
      const server = answering(busy());
      const result = call(create({ fetch: server.fetch }, { ...things, operations }));
      await vi.runAllTimersAsync();
      await result;
      expect(server.requests, `${name} with retried: ${retried}`).toHaveLength(retried ? 3 : 1);
    }
  });

  it("retries a POST when the call opts in with maxRetries", async () => {
    const server = answering(busy(), ok);
    const result = create({ fetch: server.fetch }).createThing({ body: { name: "new" }, maxRetries: 1 });
    await vi.runAllTimersAsync();
    expect((await result).status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("gives a non-JSON error body (a proxy's HTML 502) as its text after the retries", async () => {
    const html = () =>
      new Response("<h1>502 Bad Gateway</h1>", { status: 502, headers: { "content-type": "text/html" } });
    const server = answering(html);
    const result = create({ fetch: server.fetch }).putThing(renamed);
    await vi.runAllTimersAsync();
    expect(await result).toMatchObject({ status: 502, error: "<h1>502 Bad Gateway</h1>" });
    expect(server.requests).toHaveLength(3);
  });

  it("retries a failed connection, then rejects with an ApiConnectionError carrying the cause", async () => {
    const failure = new TypeError("fetch failed");
    const server = answering(() => {
      throw failure;
    });
    const result = create({ fetch: server.fetch })
      .putThing(renamed)
      .catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(ApiConnectionError);
    expect(await result).toMatchObject({ cause: failure });
    expect(server.requests).toHaveLength(3);
  });

  it("rejects with an ApiTimeoutError when the retries' waits outlast the timeout", async () => {
    const server = answering(busy({ "retry-after": "1" }));
    const result = create({ fetch: server.fetch, timeout: 1500, maxRetries: 5 })
      .putThing(renamed)
      .catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    // The second wait would end after the deadline: the 503 comes back instead of a third try.
    expect(await result).toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(2);
  });

  it("says how long a wait is from the headers, or backs off exponentially up to 8 s", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryDelay(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), 0, now)).toBe(5000);
    expect([0, 1, 2, 6].map((retry) => Math.round(retryDelay(undefined, retry)))).toEqual([375, 750, 1501, 6002]);
  });
});

describe("failures, each its own subclass of ApiClientError", () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });
  /** A loopback server that takes requests and never answers. */
  async function silentServer(): Promise<{ url: string; requests: () => number }> {
    let requests = 0;
    const server = createServer(() => {
      requests += 1;
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
  }
  /** Resolves once the server has taken a request: an event, however long a loaded machine takes to send it. */
  const arrived = (server: { requests: () => number }) =>
    vi.waitUntil(() => server.requests() > 0, { timeout: 600_000, interval: 10 });

  /** A base URL where nothing listens: a free port, closed again. */
  async function refusedUrl(): Promise<string> {
    const { url } = await silentServer();
    await new Promise((resolve) => servers.pop()!.close(resolve));
    return url;
  }

  it("a refused connection rejects with ApiConnectionError and the socket's cause", async () => {
    const failure = create({ baseUrl: await refusedUrl(), maxRetries: 0 }).putThing(renamed);
    await expect(failure).rejects.toBeInstanceOf(ApiConnectionError);
    await expect(failure).rejects.toMatchObject({ cause: { cause: { code: "ECONNREFUSED" } } });
  });

  it.each([
    ["the typed method", (client: ThingsClient) => client.updateThing(renamed)],
    ["client.PATCH", (client: ThingsClient) => client.PATCH("/things/{id}", renamed)],
  ])(
    "%s against a server that never answers rejects with ApiTimeoutError after the client's timeout",
    async (_path, call) => {
      const server = await silentServer();
      const failure = call(create({ baseUrl: server.url, timeout: 200 }));
      await expect(failure).rejects.toBeInstanceOf(ApiTimeoutError);
      await expect(failure).rejects.toMatchObject({ timeout: 200 });
    },
  );

  it("takes a per-call timeout over the client's", async () => {
    const server = await silentServer();
    const failure = create({ baseUrl: server.url, timeout: 600_000 }).putThing({ ...renamed, timeout: 200 });
    await expect(failure).rejects.toMatchObject({ name: "ApiTimeoutError", timeout: 200 });
  });

  it("the caller's signal rejects with ApiUserAbortError carrying its reason", async () => {
    const server = await silentServer();
    const controller = new AbortController();
    const failure = create({ baseUrl: server.url }).putThing({ ...renamed, signal: controller.signal });
    await arrived(server);
    controller.abort(new Error("user left the page"));
    await expect(failure).rejects.toBeInstanceOf(ApiUserAbortError);
    await expect(failure).rejects.toMatchObject({ cause: { message: "user left the page" } });
  });

  it("sends nothing when the caller's signal is already aborted", async () => {
    const server = await silentServer();
    const failure = create({ baseUrl: server.url }).putThing({ ...renamed, signal: AbortSignal.abort() });
    await expect(failure).rejects.toBeInstanceOf(ApiUserAbortError);
    expect(server.requests()).toBe(0);
  });

  it("all share the base class, and none shows the key, nor does any console line", async () => {
    const logged = (["log", "info", "warn", "error", "debug"] as const).map((level) => vi.spyOn(console, level));
    onTestFinished(() => {
      for (const spy of logged) spy.mockRestore();
    });
    const [timingOut, aborted] = [await silentServer(), await silentServer()];
    const controller = new AbortController();
    const outcomes = await Promise.all([
      create({ baseUrl: await refusedUrl(), maxRetries: 0 })
        .putThing(renamed)
        .catch((error: unknown) => error),
      create({ baseUrl: timingOut.url, timeout: 200 })
        .putThing(renamed)
        .catch((error: unknown) => error),
      create({ baseUrl: aborted.url })
        .putThing({ ...renamed, signal: controller.signal })
        .catch((error: unknown) => error),
      arrived(aborted).then(() => controller.abort()),
    ]);
    const errors = outcomes.slice(0, 3);
    expect(errors.map((error) => (error as Error).constructor)).toEqual([
      ApiConnectionError,
      ApiTimeoutError,
      ApiUserAbortError,
    ]);
    for (const error of errors) expect(error).toBeInstanceOf(ApiClientError);
    const shown = [
      ...errors.map((error) => inspect(error, { depth: 8, showHidden: true })),
      ...logged.flatMap((spy) => spy.mock.calls.flat().map(String)),
    ];
    expect(shown.join("\n")).not.toContain(apiKey);
  });
});
