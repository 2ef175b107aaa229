import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type ApiDescription,
  createApiClient,
  InvalidApiKeyError,
  MissingApiKeyError,
  operationMethod,
} from "../src/index.ts";
import type { TestPaths } from "./things.ts";

const bearer: ApiDescription = {
  title: "Things API",
  defaultBaseUrl: "https://things.test/v1",
  apiKeyEnv: "THINGS_API_KEY",
  auth: { header: "Authorization", prefix: "Bearer " },
};
const rawKey: ApiDescription = { ...bearer, auth: { header: "authorization", prefix: "" } };

/** A fetch that records what it was sent and answers with `status` and `body`. */
function recordingFetch(status = 200, body: unknown = { name: "ok" }) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { fetch, requests };
}

function update(options: Parameters<typeof createApiClient>[1], api = bearer) {
  const client = createApiClient<TestPaths>(api, options);
  return operationMethod(client, options, "patch", "/things/{id}", true);
}

afterEach(() => vi.unstubAllEnvs());

describe("createApiClient", () => {
  it("sends a bearer key as `Authorization: Bearer <key>` to the default server", async () => {
    const { fetch, requests } = recordingFetch();
    await update({ apiKey: "secret", fetch })({ params: { path: { id: "1" } }, body: { name: "x" } });
    expect(requests[0]?.url).toBe("https://things.test/v1/things/1");
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer secret");
  });

  it("sends an API-key scheme's key raw, with no prefix", async () => {
    const { fetch, requests } = recordingFetch();
    await update({ apiKey: "secret", fetch }, rawKey)({ params: { path: { id: "1" } }, body: { name: "x" } });
    expect(requests[0]?.headers.get("authorization")).toBe("secret");
  });

  it("falls back to the API's environment variable", async () => {
    vi.stubEnv("THINGS_API_KEY", "from-env");
    const { fetch, requests } = recordingFetch();
    await update({ fetch })({ params: { path: { id: "1" } }, body: { name: "x" } });
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer from-env");
  });

  it("refuses to start without a key, naming the option and the variable", () => {
    vi.stubEnv("THINGS_API_KEY", "");
    expect(() => createApiClient<TestPaths>(bearer)).toThrow(MissingApiKeyError);
    expect(() => createApiClient<TestPaths>(bearer)).toThrow(/apiKey.*THINGS_API_KEY/);
  });

  it.each([
    ["a newline", "sk-live-secret\n"],
    ["a NUL byte", "sk-live\u0000secret"],
    ["a character outside Latin-1", "sk-live-sécret-ā"],
  ])("refuses a key with %s, without echoing it", (_case, apiKey) => {
    const attempt = () => createApiClient<TestPaths>(bearer, { apiKey });
    expect(attempt).toThrow(InvalidApiKeyError);
    expect(attempt).toThrow(/position \d+ of \d+/);
    expect(attempt).not.toThrow(/secret/);
  });

  it("refuses a key from the environment with a control character, naming the variable", () => {
    vi.stubEnv("THINGS_API_KEY", "secret\r\n");
    expect(() => createApiClient<TestPaths>(bearer)).toThrow(/THINGS_API_KEY/);
    expect(() => createApiClient<TestPaths>(bearer)).not.toThrow(/secret/);
  });

  it.each([
    ["a negative timeout", { timeout: -1 }],
    ["a timeout setTimeout would fire at once", { timeout: 2 ** 31 }],
    ["a fractional maxRetries", { maxRetries: 1.5 }],
    ["a negative maxRetries", { maxRetries: -1 }],
  ])("refuses %s at createClient", (_case, limits) => {
    expect(() => createApiClient<TestPaths>(bearer, { apiKey: "k", ...limits })).toThrow(RangeError);
  });

  it("sends no credentials when apiKey is null", async () => {
    const { fetch, requests } = recordingFetch();
    await update({ apiKey: null, fetch })({ params: { path: { id: "1" } }, body: { name: "x" } });
    expect(requests[0]?.headers.has("authorization")).toBe(false);
  });

  it.each([
    ["another host", "https://elsewhere.test/v1"],
    ["a host that merely starts like the API's", "https://things.test/v1.evil.test"],
  ])("keeps the key from a per-request baseUrl on %s", async (_case, baseUrl) => {
    const { fetch, requests } = recordingFetch();
    await update({ apiKey: "secret", fetch })({ baseUrl, params: { path: { id: "1" } }, body: { name: "x" } });
    expect(requests[0]?.url.startsWith(baseUrl)).toBe(true);
    expect(requests[0]?.headers.has("authorization")).toBe(false);
  });

  it("passes custom headers and baseUrl through", async () => {
    const { fetch, requests } = recordingFetch();
    await update({ apiKey: "k", fetch, baseUrl: "http://127.0.0.1:4010", headers: { "x-trace": "abc" } })({
      params: { path: { id: "1" } },
      body: { name: "x" },
    });
    expect(requests[0]?.url).toBe("http://127.0.0.1:4010/things/1");
    expect(requests[0]?.headers.get("x-trace")).toBe("abc");
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer k");
  });
});

describe("operationMethod", () => {
  it("returns the typed success body as data", async () => {
    const { fetch } = recordingFetch(200, { name: "renamed" });
    const result = await update({ apiKey: "k", fetch })({ params: { path: { id: "1" } }, body: { name: "renamed" } });
    expect(result.data).toEqual({ name: "renamed" });
    expect(result.error).toBeUndefined();
  });

  it("returns a documented error body as error", async () => {
    const { fetch } = recordingFetch(400, { message: "bad" });
    const result = await update({ apiKey: "k", fetch })({ params: { path: { id: "1" } }, body: { name: "x" } });
    expect(result.error).toEqual({ message: "bad" });
    expect(result.response.status).toBe(400);
  });
});
