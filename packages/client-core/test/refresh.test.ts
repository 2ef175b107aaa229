// Credential providers against real loopback servers: a 401 is answered by one refresh and one
// resend, shared by the calls that met it together, and never by a credential sent elsewhere.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ApiClientError,
  type ApiDescription,
  ApiUserAbortError,
  type AuthScheme,
  type BasicCredentials,
  type ClientOptions,
  type CredentialProvider,
  CredentialRefreshError,
  createApiClient,
} from "../src/index.ts";
import { renamed, type ThingsClient, thingId, things, thingsWithKeyIn } from "./things.ts";

interface Received {
  url: string;
  authorization: string | undefined;
  body: string;
}

/**
 * A server that answers 200 to a request carrying `accepted` (as an `Authorization` header, or a
 * `key` query parameter) and 401 to any other, recording each request as it came.
 */
async function startServer() {
  const server = {
    accepted: "fresh-token",
    received: [] as Received[],
    url: "",
  };
  const read = async (request: IncomingMessage) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    return body;
  };
  const http = createServer(async (request, response) => {
    const body = await read(request);
    const url = new URL(request.url!, "http://loopback");
    const authorization = request.headers.authorization;
    server.received.push({ url: request.url!, authorization, body });
    const credential = authorization ?? url.searchParams.get("key");
    const ok = credential === server.accepted || credential === `Bearer ${server.accepted}`;
    response.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    response.end(JSON.stringify(ok ? { name: "ok" } : { message: "unauthorized" }));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1`;
  const close = () => new Promise<void>((resolve) => http.close(() => resolve()));
  return Object.assign(server, { close });
}

/** A provider whose `current()` is "stale-token" until `refresh()` gives "fresh-token"; it counts its refreshes. */
function tokenProvider(refresh: () => Promise<string> = async () => "fresh-token") {
  const provider = {
    token: "stale-token",
    refreshes: 0,
    current: () => provider.token,
    refresh: async () => {
      provider.refreshes += 1;
      provider.token = await refresh();
      return provider.token;
    },
  };
  return provider;
}

let api: Awaited<ReturnType<typeof startServer>>;
let elsewhere: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  [api, elsewhere] = await Promise.all([startServer(), startServer()]);
});
afterAll(() => Promise.all([api.close(), elsewhere.close()]));
beforeEach(() => {
  api.accepted = "fresh-token";
  api.received = [];
  elsewhere.received = [];
});

const create = (options: ClientOptions, description = things) =>
  createApiClient<ThingsClient>(description, { baseUrl: api.url, maxRetries: 0, ...options });

describe("a credential provider", () => {
  it("refreshes once after a 401 and sends the request again, body and all, with the new credential", async () => {
    const provider = tokenProvider();
    const result = await create({ apiKey: provider }).updateThing(renamed);
    expect(result).toMatchObject({ status: 200, data: { name: "ok" } });
    expect(provider.refreshes).toBe(1);
    expect(api.received).toEqual([
      { url: "/v1/things/1", authorization: "Bearer stale-token", body: '{"name":"renamed"}' },
      { url: "/v1/things/1", authorization: "Bearer fresh-token", body: '{"name":"renamed"}' },
    ]);
  });

  it("sends a call after the refresh with the provider's current credential, refreshing no more", async () => {
    const provider = tokenProvider();
    const client = create({ apiKey: provider });
    await client.updateThing(renamed);
    expect(await client.getThing(thingId)).toMatchObject({ status: 200 });
    expect(provider.refreshes).toBe(1);
    expect(api.received.map(({ authorization }) => authorization)).toEqual([
      "Bearer stale-token",
      "Bearer fresh-token",
      "Bearer fresh-token",
    ]);
  });

  it("returns a second 401 as the answer: one refresh, one resend, no loop", async () => {
    api.accepted = "a-token-never-given";
    const provider = tokenProvider();
    const result = await create({ apiKey: provider }).updateThing(renamed);
    expect(result).toMatchObject({ status: 401, error: { message: "unauthorized" } });
    expect(provider.refreshes).toBe(1);
    expect(api.received).toHaveLength(2);
  });

  it("refreshes once for every call that met a 401 together", async () => {
    const provider = tokenProvider();
    const client = create({ apiKey: provider });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.updateThing(renamed)));
    expect(results.map(({ status }) => status)).toEqual([200, 200, 200, 200, 200]);
    expect(provider.refreshes).toBe(1);
    expect(api.received.filter(({ authorization }) => authorization === "Bearer stale-token")).toHaveLength(5);
    expect(api.received.filter(({ authorization }) => authorization === "Bearer fresh-token")).toHaveLength(5);
  });

  it("may refresh again for a call that met a 401 with a credential read after the last refresh", async () => {
    const tokens = ["fresh-token", "fresher-token"];
    const provider = tokenProvider(async () => tokens.shift()!);
    const client = create({ apiKey: provider });
    await client.updateThing(renamed);
    api.accepted = "fresher-token"; // the server revokes the refreshed token
    expect(await client.updateThing(renamed)).toMatchObject({ status: 200 });
    expect(provider.refreshes).toBe(2);
  });

  it("rejects with CredentialRefreshError naming the scheme when the refresh throws, sending nothing more", async () => {
    const failure = new Error("the token endpoint said no");
    const provider = tokenProvider(async () => {
      throw failure;
    });
    const call = create({ apiKey: provider }).updateThing(renamed);
    await expect(call).rejects.toThrow(CredentialRefreshError);
    await expect(call).rejects.toThrow(
      "Refreshing the apiKey credential of Things API after a 401 failed: the token endpoint said no",
    );
    const error = await call.catch((error: unknown) => error);
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({ scheme: "apiKey", cause: failure });
    expect(api.received).toHaveLength(1);
  });

  it("rejects with the call's abort while the refresh is pending", async () => {
    const caller = new AbortController();
    const provider = tokenProvider(() => {
      caller.abort("gave up");
      return new Promise<never>(() => {});
    });
    const call = create({ apiKey: provider }).updateThing({ ...renamed, signal: caller.signal });
    await expect(call).rejects.toThrow(ApiUserAbortError);
    expect(api.received).toHaveLength(1);
  });

  it("never sends a credential, first or refreshed, to another host", async () => {
    const provider = tokenProvider();
    const result = await create({ apiKey: provider }).updateThing({ ...renamed, baseUrl: elsewhere.url });
    expect(result).toMatchObject({ status: 401 });
    expect(provider.refreshes).toBe(0);
    expect(elsewhere.received).toEqual([{ url: "/v1/things/1", authorization: undefined, body: '{"name":"renamed"}' }]);
    expect(api.received).toHaveLength(0);
  });

  it("puts a query key refreshed in place of the old one, the body sent again", async () => {
    const provider = tokenProvider();
    const inQuery: AuthScheme = { in: "query", name: "key", prefix: "" };
    const result = await create({ apiKey: provider }, thingsWithKeyIn(inQuery)).updateThing(renamed);
    expect(result).toMatchObject({ status: 200 });
    expect(api.received).toEqual([
      { url: "/v1/things/1?key=stale-token", authorization: undefined, body: '{"name":"renamed"}' },
      { url: "/v1/things/1?key=fresh-token", authorization: undefined, body: '{"name":"renamed"}' },
    ]);
  });

  it("sends a 401 to a plain key back as it came, once", async () => {
    const result = await create({ apiKey: "stale-token" }).updateThing(renamed);
    expect(result).toMatchObject({ status: 401 });
    expect(api.received).toHaveLength(1);
  });

  it("refreshes HTTP basic credentials too, for a scheme of `credentials`", async () => {
    api.accepted = `Basic ${btoa("ada:new-password")}`;
    let password = "old-password";
    const provider: CredentialProvider<BasicCredentials> = {
      current: () => ({ username: "ada", password }),
      refresh: () => {
        password = "new-password";
        return { username: "ada", password };
      },
    };
    const basic: ApiDescription = {
      ...things,
      security: {
        schemes: { basicAuth: { in: "header", name: "Authorization", prefix: "Basic ", env: ["U", "P"] } },
        required: [["basicAuth"]],
      },
    };
    const client = createApiClient<ThingsClient>(basic, { baseUrl: api.url, credentials: { basicAuth: provider } });
    expect(await client.updateThing(renamed)).toMatchObject({ status: 200 });
    expect(api.received.map(({ authorization }) => authorization)).toEqual([
      `Basic ${btoa("ada:old-password")}`,
      `Basic ${btoa("ada:new-password")}`,
    ]);
  });
});
