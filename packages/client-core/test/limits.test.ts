// Timeouts and retries: what a caller of a flaky API relies on. What travels on the wire (bodies sent
// again, statuses, non-JSON errors, a refused connection) is tested against real HTTP servers on
// loopback, answering at once; how long the client waits (backoff, Retry-After, timeouts) on fake timers
// with an in-process fetch, so no case sleeps and none depends on how fast the machine is.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ApiDescription, type ClientOptions, createApiClient, operationMethod, retryDelay } from "../src/index.ts";
import type { TestPaths } from "./things.ts";

const api: ApiDescription = {
  title: "Things API",
  defaultBaseUrl: "https://things.test",
  apiKeyEnv: "THINGS_API_KEY",
  auth: { header: "Authorization", prefix: "Bearer " },
};
const apiKey = "limits-test-key-52e1b7";
const call = { params: { path: { id: "1" } }, body: { name: "renamed" } };

type Answer = (response: ServerResponse) => void;
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (response) =>
    response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
/** Asks for the next attempt at once: the wire is the point of these cases, not the wait. */
const now = { "retry-after-ms": "0" };

interface Seen {
  body: string;
  authorization: string | undefined;
}

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A server on a free loopback port giving `answers` in turn (the last one from then on). */
async function serve(...answers: Answer[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    seen.push({ body, authorization: request.headers.authorization });
    answers[Math.min(seen.length, answers.length) - 1]!(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** A base URL where nothing listens: a free port, closed again. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function update(options: ClientOptions, idempotent: boolean) {
  const client = createApiClient<TestPaths>(api, { apiKey, ...options });
  return operationMethod(client, { apiKey, ...options }, "patch", "/things/{id}", idempotent);
}

/**
 * The clock of the fake timers, started at 0, with jitter off (each backoff its full length). Only
 * timers and Date are faked: promises run as usual.
 */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 0 });
  vi.spyOn(Math, "random").mockReturnValue(0);
}

/** Moves the fake clock far enough for every wait of a case to end. */
const runOut = () => vi.advanceTimersByTimeAsync(600_000);

/** What a call rejected with, and when on the fake clock, once every wait has run out. */
async function rejection(pending: Promise<unknown>): Promise<{ error: unknown; at: number }> {
  const settled = pending.then(
    (result) => ({ error: new Error(`the call resolved: ${inspect(result)}`), at: Date.now() }),
    (error: unknown) => ({ error, at: Date.now() }),
  );
  await runOut();
  return settled;
}

/** An in-process fetch giving `outcomes` in turn (the last one from then on), noting the fake time of each attempt. */
function attempts(...outcomes: (() => Response | Error)[]) {
  const at: number[] = [];
  const fetch = async (_request: Request) => {
    at.push(Date.now());
    const outcome = outcomes[Math.min(at.length, outcomes.length) - 1]!();
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return { fetch, at };
}

const answer =
  (status: number, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify({ name: "renamed" }), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });

/** A fetch whose server never answers: each request settles only when it is aborted, with the abort's reason. */
function hanging() {
  const requests: Request[] = [];
  let onFirst: () => void;
  const first = new Promise<void>((resolve) => (onFirst = resolve));
  const fetch = (request: Request) => {
    requests.push(request);
    onFirst();
    return new Promise<Response>((_resolve, reject) =>
      request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true }),
    );
  };
  return { fetch, requests, first };
}

describe("retries", () => {
  it("retries 503, 503 and gives the data of the third answer, resending the whole body each time", async () => {
    const server = await serve(
      json(503, { message: "busy" }, now),
      json(503, { message: "busy" }, now),
      json(200, { name: "renamed" }),
    );
    const result = await update({ baseUrl: server.url, maxRetries: 2 }, true)(call);
    expect(result.data).toEqual({ name: "renamed" });
    expect(result.status).toBe(200);
    expect(server.seen.map(({ body }) => JSON.parse(body))).toEqual([call.body, call.body, call.body]);
    expect(server.seen.every(({ authorization }) => authorization === `Bearer ${apiKey}`)).toBe(true);
  });

  it("backs off 0.5 s, then 1 s, when the server does not say how long to wait", async () => {
    fakeClock();
    const { fetch, at } = attempts(answer(503), answer(503), answer(200));
    const result = update({ fetch }, true)(call);
    await runOut();
    expect((await result).status).toBe(200);
    expect(at).toEqual([0, 500, 1500]);
  });

  it("waits as long as Retry-After says before retrying a 429", async () => {
    fakeClock();
    const { fetch, at } = attempts(answer(429, { "retry-after": "1" }), answer(200));
    const result = update({ fetch }, true)(call);
    await runOut();
    expect((await result).status).toBe(200);
    expect(at).toEqual([0, 1000]);
  });

  it("waits as long as retry-after-ms says, before Retry-After", async () => {
    fakeClock();
    const { fetch, at } = attempts(answer(503, { "retry-after-ms": "1200", "retry-after": "0" }), answer(200));
    const result = update({ fetch }, true)(call);
    await runOut();
    expect((await result).status).toBe(200);
    expect(at).toEqual([0, 1200]);
  });

  it("returns a 429 at once when Retry-After asks for longer than the time left", async () => {
    const server = await serve(
      json(429, { message: "come back in an hour" }, { "retry-after": "3600" }),
      json(200, { name: "renamed" }),
    );
    const result = await update({ baseUrl: server.url }, true)(call);
    expect(result.status).toBe(429);
    expect(result.error).toEqual({ message: "come back in an hour" });
    expect(server.seen).toHaveLength(1);
  });

  it.each([400, 401, 404, 422])("sends a request answered %i once", async (status) => {
    const server = await serve(json(status, { message: "no" }), json(200, { name: "renamed" }));
    const result = await update({ baseUrl: server.url }, true)(call);
    expect(result.status).toBe(status);
    expect(server.seen).toHaveLength(1);
  });

  it.each([408, 409, 500, 502])("retries %i", async (status) => {
    const server = await serve(json(status, { message: "again" }, now), json(200, { name: "renamed" }));
    const result = await update({ baseUrl: server.url }, true)(call);
    expect(result.status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  it("sends once with maxRetries: 0, per client or per call", async () => {
    const server = await serve(json(503, { message: "busy" }));
    expect((await update({ baseUrl: server.url, maxRetries: 0 }, true)(call)).status).toBe(503);
    expect((await update({ baseUrl: server.url }, true)({ ...call, maxRetries: 0 })).status).toBe(503);
    expect(server.seen).toHaveLength(2);
  });

  it("does not retry an operation that is not idempotent unless the call asks", async () => {
    const server = await serve(json(503, { message: "busy" }, now));
    await update({ baseUrl: server.url }, false)(call);
    expect(server.seen).toHaveLength(1);
    await update({ baseUrl: server.url }, false)({ ...call, maxRetries: 1 });
    expect(server.seen).toHaveLength(3);
  });

  it("gives a non-JSON error body (a proxy's HTML 502) as its text after the retries", async () => {
    const html: Answer = (response) =>
      response.writeHead(502, { "content-type": "text/html", ...now }).end("<h1>502 Bad Gateway</h1>");
    const server = await serve(html);
    const result = await update({ baseUrl: server.url }, true)(call);
    expect(result.status).toBe(502);
    expect(result.error).toBe("<h1>502 Bad Gateway</h1>");
    expect(server.seen).toHaveLength(3);
  });

  it("rejects a refused connection with fetch's own error and its cause", async () => {
    const failure = update({ baseUrl: await refusedUrl(), maxRetries: 0 }, true)(call);
    await expect(failure).rejects.toThrow(TypeError);
    await expect(failure).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
  });

  it("retries a failed connection with the same backoff, then rejects with the last failure", async () => {
    fakeClock();
    const refused = new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    const { fetch, at } = attempts(() => refused);
    expect(await rejection(update({ fetch, maxRetries: 2 }, true)(call))).toEqual({ error: refused, at: 1500 });
    expect(at).toEqual([0, 500, 1500]);
  });
});

describe("timeout and signal", () => {
  it("rejects with a TimeoutError when the server never answers, once the timeout has passed", async () => {
    fakeClock();
    const server = hanging();
    const failure = await rejection(update({ fetch: server.fetch, timeout: 300 }, true)(call));
    expect(failure).toMatchObject({ error: { name: "TimeoutError" }, at: 300 });
    expect(server.requests).toHaveLength(1);
  });

  it("counts retries and their waits against the timeout", async () => {
    fakeClock();
    const { fetch, at } = attempts(answer(503, { "retry-after-ms": "400" }));
    const result = update({ fetch, timeout: 1000, maxRetries: 5 }, true)(call);
    await runOut();
    // Attempts at 0, 400 and 800; the next, at 1200, would come after the timeout: the third 503 is the answer.
    expect((await result).status).toBe(503);
    expect(at).toEqual([0, 400, 800]);
  });

  it("takes a per-call timeout over the client's", async () => {
    fakeClock();
    const failure = await rejection(
      update({ fetch: hanging().fetch, timeout: 600_000 }, true)({ ...call, timeout: 200 }),
    );
    expect(failure).toMatchObject({ error: { name: "TimeoutError" }, at: 200 });
  });

  it("stops when the caller's own signal aborts, with the caller's reason", async () => {
    const server = hanging();
    const controller = new AbortController();
    const failure = update({ fetch: server.fetch }, true)({ ...call, signal: controller.signal });
    await server.first;
    controller.abort();
    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing when the caller's signal is already aborted", async () => {
    const server = await serve(json(200, { name: "renamed" }));
    const failure = update({ baseUrl: server.url }, true)({ ...call, signal: AbortSignal.abort() });
    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
    expect(server.seen).toHaveLength(0);
  });

  it("refuses a per-call timeout or maxRetries out of range", async () => {
    const method = update({ baseUrl: "http://127.0.0.1:9" }, true);
    await expect(method({ ...call, timeout: 0 })).rejects.toThrow(RangeError);
    await expect(method({ ...call, maxRetries: -1 })).rejects.toThrow(RangeError);
  });
});

describe("the key", () => {
  it("appears in no result, error, cause or console line, whatever the failure", async () => {
    const logged = (["log", "info", "warn", "error", "debug"] as const).map((level) => vi.spyOn(console, level));
    const server = await serve(json(503, { message: "busy" }));
    const outcomes: unknown[] = [
      await update({ baseUrl: server.url, maxRetries: 0 }, true)(call),
      await update({ baseUrl: await refusedUrl(), maxRetries: 0 }, true)(call).catch((error: unknown) => error),
    ];
    fakeClock();
    outcomes.push((await rejection(update({ fetch: hanging().fetch, timeout: 300 }, true)(call))).error);
    const shown = [
      ...outcomes.map((outcome) => inspect(outcome, { depth: 8, showHidden: true })),
      ...logged.flatMap((spy) => spy.mock.calls.flat().map(String)),
    ].join("\n");
    expect(shown).toContain("TimeoutError");
    expect(shown).toContain("ECONNREFUSED");
    expect(shown).not.toContain(apiKey);
  });
});

describe("retryDelay", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);
  it("reads Retry-After as seconds or as an HTTP date, and retry-after-ms first", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryDelay(headers({ "retry-after": "2" }), 0, now)).toBe(2000);
    expect(retryDelay(headers({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }), 0, now)).toBe(5000);
    expect(retryDelay(headers({ "retry-after": "2", "retry-after-ms": "150" }), 0, now)).toBe(150);
  });

  it("backs off exponentially with jitter of up to a quarter, capped at 8 s", () => {
    for (const [retry, full] of [
      [0, 500],
      [1, 1000],
      [2, 2000],
      [6, 8000],
    ] as const) {
      const delay = retryDelay(undefined, retry);
      expect(delay).toBeGreaterThan(full * 0.75 - 1e-9);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });
});
