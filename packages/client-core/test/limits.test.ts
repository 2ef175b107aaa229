// Timeouts and retries against real HTTP servers on loopback: what a caller of a flaky API relies on.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
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
/** Never answers: the request stays open until the client gives up. */
const silence: Answer = () => {};

interface Seen {
  at: number;
  body: string;
  authorization: string | undefined;
}

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A server on a free loopback port giving `answers` in turn (the last one from then on). */
async function serve(...answers: Answer[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    seen.push({ at: performance.now(), body, authorization: request.headers.authorization });
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

describe("retries", () => {
  it("retries 503, 503 and gives the data of the third answer, resending the whole body each time", async () => {
    const server = await serve(
      json(503, { message: "busy" }),
      json(503, { message: "busy" }),
      json(200, { name: "renamed" }),
    );
    const result = await update({ baseUrl: server.url, maxRetries: 2 }, true)(call);
    expect(result.data).toEqual({ name: "renamed" });
    expect(result.status).toBe(200);
    expect(server.seen.map(({ body }) => JSON.parse(body))).toEqual([call.body, call.body, call.body]);
    expect(server.seen.every(({ authorization }) => authorization === `Bearer ${apiKey}`)).toBe(true);
  });

  it("waits as long as Retry-After says before retrying a 429", async () => {
    const server = await serve(
      json(429, { message: "slow down" }, { "retry-after": "1" }),
      json(200, { name: "renamed" }),
    );
    const result = await update({ baseUrl: server.url }, true)(call);
    expect(result.status).toBe(200);
    expect(server.seen[1]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("waits as long as retry-after-ms says, before Retry-After", async () => {
    const server = await serve(
      json(503, { message: "busy" }, { "retry-after-ms": "1200", "retry-after": "0" }),
      json(200, { name: "renamed" }),
    );
    const result = await update({ baseUrl: server.url }, true)(call);
    expect(result.status).toBe(200);
    expect(server.seen[1]!.at - server.seen[0]!.at).toBeGreaterThanOrEqual(1100);
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
    const server = await serve(
      json(status, { message: "again" }, { "retry-after-ms": "0" }),
      json(200, { name: "renamed" }),
    );
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
    const server = await serve(json(503, { message: "busy" }, { "retry-after-ms": "0" }));
    await update({ baseUrl: server.url }, false)(call);
    expect(server.seen).toHaveLength(1);
    await update({ baseUrl: server.url }, false)({ ...call, maxRetries: 1 });
    expect(server.seen).toHaveLength(3);
  });

  it("gives a non-JSON error body (a proxy's HTML 502) as its text after the retries", async () => {
    const html: Answer = (response) =>
      response.writeHead(502, { "content-type": "text/html", "retry-after-ms": "0" }).end("<h1>502 Bad Gateway</h1>");
    const server = await serve(html);
    const result = await update({ baseUrl: server.url }, true)(call);
    expect(result.status).toBe(502);
    expect(result.error).toBe("<h1>502 Bad Gateway</h1>");
    expect(server.seen).toHaveLength(3);
  });

  it("retries a refused connection, then rejects with its cause", async () => {
    let attempts = 0;
    const counting = (request: Request) => {
      attempts += 1;
      return fetch(request);
    };
    const failure = update({ baseUrl: await refusedUrl(), fetch: counting, maxRetries: 2 }, true)(call);
    await expect(failure).rejects.toThrow(TypeError);
    await expect(failure).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
    expect(attempts).toBe(3);
  });
});

describe("timeout and signal", () => {
  it("rejects with a TimeoutError when the server never answers", async () => {
    const server = await serve(silence);
    const failure = update({ baseUrl: server.url, timeout: 300 }, true)(call);
    await expect(failure).rejects.toMatchObject({ name: "TimeoutError" });
    expect(server.seen).toHaveLength(1);
  });

  it("takes a per-call timeout over the client's", async () => {
    const server = await serve(silence);
    const failure = update({ baseUrl: server.url, timeout: 600_000 }, true)({ ...call, timeout: 200 });
    await expect(failure).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("stops when the caller's own signal aborts, with the caller's reason", async () => {
    const server = await serve(silence);
    const controller = new AbortController();
    const failure = update({ baseUrl: server.url }, true)({ ...call, signal: controller.signal });
    await expect.poll(() => server.seen.length).toBe(1);
    controller.abort();
    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
    expect(server.seen).toHaveLength(1);
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
  it("appears in no result, error or cause, whatever the failure", async () => {
    const server = await serve(json(503, { message: "busy" }, { "retry-after-ms": "0" }), silence);
    const shown = [
      await update({ baseUrl: server.url, maxRetries: 0 }, true)(call),
      await update({ baseUrl: server.url, timeout: 300 }, true)(call).catch((error: unknown) => error),
      await update({ baseUrl: await refusedUrl(), maxRetries: 0 }, true)(call).catch((error: unknown) => error),
    ].map((outcome) => inspect(outcome, { depth: 8, showHidden: true }));
    expect(shown.join("\n")).toContain("TimeoutError");
    expect(shown.join("\n")).not.toContain(apiKey);
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
