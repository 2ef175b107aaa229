import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type ApiDescription,
  type AuthScheme,
  createApiClient,
  InvalidApiKeyError,
  type Middleware,
  MissingApiKeyError,
  MissingBaseUrlError,
} from "../src/index.ts";
import {
  jsonResponse,
  recordingFetch,
  renamed,
  type ThingsClient,
  thingId,
  things,
  thingsWithKeyIn,
} from "./things.ts";

const create = (options: Parameters<typeof createApiClient>[1], api: ApiDescription = things) =>
  createApiClient<ThingsClient>(api, options);

afterEach(() => vi.unstubAllEnvs());

describe("createClient", () => {
  it("sends a bearer key as `Authorization: Bearer <key>` to the default server", async () => {
    const { fetch, requests } = recordingFetch();
    await create({ apiKey: "secret", fetch }).updateThing(renamed);
    expect(requests[0]?.url).toBe("https://things.test/v1/things/1");
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer secret");
  });

  it("falls back to the API's environment variable", async () => {
    vi.stubEnv("THINGS_API_KEY", "from-env");
    const { fetch, requests } = recordingFetch();
    await create({ fetch }).updateThing(renamed);
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer from-env");
  });

  it("refuses to start without a key, naming the option and the variable", () => {
    vi.stubEnv("THINGS_API_KEY", "");
    expect(() => create({})).toThrow(MissingApiKeyError);
    expect(() => create({})).toThrow(/apiKey.*THINGS_API_KEY/);
  });

  it("needs no key for an API without credentials", async () => {
    vi.stubEnv("THINGS_API_KEY", "");
    const { fetch, requests } = recordingFetch();
    await create({ fetch }, { ...things, security: undefined }).getThing(thingId);
    expect(requests[0]!.headers.has("authorization")).toBe(false);
  });

  it.each([
    ["a newline", "sk-live-secret\n"],
    ["a NUL byte", "sk-live\u0000secret"],
    ["a character outside Latin-1", "sk-live-sécret-ā"],
  ])("refuses a key with %s, without echoing it", (_case, apiKey) => {
    expect(() => create({ apiKey })).toThrow(InvalidApiKeyError);
    expect(() => create({ apiKey })).toThrow(/position \d+ of \d+/);
    expect(() => create({ apiKey })).not.toThrow(/secret/);
  });

  it("refuses a key from the environment with a control character, naming the variable", () => {
    vi.stubEnv("THINGS_API_KEY", "secret\r\n");
    expect(() => create({})).toThrow(/THINGS_API_KEY/);
    expect(() => create({})).not.toThrow(/secret/);
  });

  it("needs a baseUrl when the spec names no server", () => {
    const serverless = { ...things, defaultBaseUrl: undefined };
    expect(() => create({ apiKey: "k" }, serverless)).toThrow(MissingBaseUrlError);
    expect(() => create({ apiKey: "k", baseUrl: "http://127.0.0.1:9" }, serverless)).not.toThrow();
  });

  it.each([
    ["a negative timeout", { timeout: -1 }],
    ["a timeout setTimeout would fire at once", { timeout: 2 ** 31 }],
    ["a fractional maxRetries", { maxRetries: 1.5 }],
    ["a negative maxRetries", { maxRetries: -1 }],
  ])("refuses %s", async (_case, limits) => {
    expect(() => create({ apiKey: "k", ...limits })).toThrow(RangeError);
    await expect(create({ apiKey: "k" }).updateThing({ ...renamed, ...limits })).rejects.toThrow(RangeError);
  });

  it("sends no credentials when apiKey is null", async () => {
    const { fetch, requests } = recordingFetch();
    await create({ apiKey: null, fetch }).updateThing(renamed);
    expect(requests[0]?.headers.has("authorization")).toBe(false);
  });

  it("passes custom headers and baseUrl through", async () => {
    const { fetch, requests } = recordingFetch();
    const client = create({ apiKey: "k", fetch, baseUrl: "http://127.0.0.1:4010/", headers: { "x-trace": "abc" } });
    await client.updateThing(renamed);
    expect(requests[0]?.url).toBe("http://127.0.0.1:4010/things/1");
    expect(requests[0]?.headers.get("x-trace")).toBe("abc");
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer k");
  });
});

describe("the results", () => {
  it("gives the typed success body as data, and status", async () => {
    const { fetch } = recordingFetch(() => jsonResponse(200, { name: "renamed" }));
    const result = await create({ apiKey: "k", fetch }).updateThing(renamed);
    expect(result).toMatchObject({ data: { name: "renamed" }, status: 200 });
    expect(result.error).toBeUndefined();
  });

  it("gives a documented error body as error, on the typed and the raw path alike", async () => {
    const { fetch } = recordingFetch(() => jsonResponse(400, { message: "bad" }));
    const client = create({ apiKey: "k", fetch });
    const typed = await client.updateThing(renamed);
    const raw = await client.PATCH("/things/{id}", renamed);
    for (const result of [typed, raw]) expect(result).toMatchObject({ error: { message: "bad" }, status: 400 });
  });

  it.each([304, 302])("gives neither data nor error for a %i without a body, whatever its headers", async (status) => {
    const { fetch } = recordingFetch(() => new Response(status === 304 ? null : "", { status }));
    const result = await create({ apiKey: "k", fetch }).updateThing(renamed);
    expect(result.status).toBe(status);
    expect([result.data, result.error]).toEqual([undefined, undefined]);
  });
});

/** Where each kind of scheme puts the key, and how to find it in a request. */
const schemes: { scheme: AuthScheme; carries: (request: Request) => boolean }[] = [
  {
    scheme: { in: "header", name: "X-Api-Key", prefix: "" },
    carries: (request) => request.headers.get("x-api-key") === "secret",
  },
  {
    scheme: { in: "query", name: "api_key", prefix: "" },
    carries: (request) => new URL(request.url).searchParams.get("api_key") === "secret",
  },
  {
    scheme: { in: "cookie", name: "session", prefix: "" },
    carries: (request) => request.headers.get("cookie")?.includes("session=secret") === true,
  },
];

/** One call on each path every client has: a typed method, a raw method, and `request`. */
const paths: [string, (client: ThingsClient, init: object) => Promise<unknown>][] = [
  ["client.updateThing()", (client, init) => client.updateThing({ ...renamed, ...init })],
  ["client.PATCH()", (client, init) => client.PATCH("/things/{id}", { ...renamed, ...init })],
  ["client.request()", (client, init) => client.request("patch", "/things/{id}", { ...renamed, ...init })],
];

describe.each(schemes)("a key in the $scheme.in", ({ scheme, carries }) => {
  const api = thingsWithKeyIn(scheme);

  it.each(paths)("goes with %s to the configured baseUrl, also through a per-call fetch", async (_path, call) => {
    const client = recordingFetch();
    const perCall = recordingFetch();
    await call(create({ apiKey: "secret", fetch: client.fetch }, api), {});
    await call(create({ apiKey: "secret", fetch: client.fetch }, api), { fetch: perCall.fetch });
    expect(carries(client.requests[0]!)).toBe(true);
    expect(carries(perCall.requests[0]!)).toBe(true);
  });

  it.each(paths)("never reaches another host through %s with a per-call baseUrl and fetch", async (_path, call) => {
    const client = recordingFetch();
    for (const baseUrl of ["https://evil.example", "https://things.test/v1.evil.example", "https://things.test/v2"]) {
      const elsewhere = recordingFetch();
      await call(create({ apiKey: "secret", fetch: client.fetch }, api), { baseUrl, fetch: elsewhere.fetch });
      expect(elsewhere.requests[0]!.url.startsWith(baseUrl)).toBe(true);
      expect(carries(elsewhere.requests[0]!)).toBe(false);
    }
    expect(client.requests).toHaveLength(0);
  });

  it("never reaches another host that a middleware sends the request to", async () => {
    const { fetch, requests } = recordingFetch();
    const client = create({ apiKey: "secret", fetch }, api);
    const redirect: Middleware = { onRequest: ({ request }) => new Request("https://evil.example/steal", request) };
    client.use(redirect);
    await client.updateThing(renamed);
    expect(requests[0]!.url).toBe("https://evil.example/steal");
    expect(carries(requests[0]!)).toBe(false);
  });
});

describe("middleware", () => {
  it("sees every call, typed or raw, and its answer", async () => {
    const { fetch } = recordingFetch();
    const client = create({ apiKey: "k", fetch });
    const seen: string[] = [];
    client.use({ onResponse: ({ request, response }) => void seen.push(`${request.method} ${response.status}`) });
    await client.updateThing(renamed);
    await client.GET("/things/{id}", thingId);
    expect(seen).toEqual(["PATCH 200", "GET 200"]);
  });

  it("keeps an existing cookie beside a cookie key", async () => {
    const { fetch, requests } = recordingFetch();
    const api = thingsWithKeyIn({ in: "cookie", name: "session", prefix: "" });
    await create({ apiKey: "secret", fetch, headers: { cookie: "theme=dark" } }, api).updateThing(renamed);
    expect(requests[0]!.headers.get("cookie")).toBe("theme=dark; session=secret");
  });
});
