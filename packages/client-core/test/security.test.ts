import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type AnyClientOptions,
  type ApiDescription,
  createApiClient,
  MissingCredentialsError,
  type SecurityDescription,
} from "../src/index.ts";
import { recordingFetch, renamed, type ThingsClient, thingId, things } from "./things.ts";

/** Things with several schemes, as codegen describes an API whose options are `credentials`. */
const security: SecurityDescription = {
  schemes: {
    basicAuth: { in: "header", name: "Authorization", prefix: "Basic ", env: ["THINGS_USERNAME", "THINGS_PASSWORD"] },
    oauth: { in: "header", name: "Authorization", prefix: "Bearer ", env: "THINGS_OAUTH" },
    queryKey: { in: "query", name: "key", prefix: "", env: "THINGS_QUERY_KEY" },
    cookieKey: { in: "cookie", name: "session", prefix: "", env: "THINGS_COOKIE_KEY" },
  },
  // Either OAuth2, or a query key together with a cookie key.
  required: [["oauth"], ["queryKey", "cookieKey"]],
};
const multiScheme: ApiDescription = {
  ...things,
  security,
  operations: {
    ...things.operations,
    // Basic, or nothing at all (`- {}` in the spec).
    getThing: ["get", "/things/{id}", true, { security: [["basicAuth"], []] }],
  },
};

const create = (options: AnyClientOptions, api = multiScheme) => createApiClient<ThingsClient>(api, options);

afterEach(() => vi.unstubAllEnvs());

describe("credentials per security scheme", () => {
  it("sends HTTP basic as `Basic base64(username:password)`, UTF-8 encoded", async () => {
    const { fetch, requests } = recordingFetch();
    await create({ fetch, credentials: { basicAuth: { username: "ada", password: "pässword" } } }).getThing(thingId);
    expect(requests[0]!.headers.get("authorization")).toBe(
      `Basic ${Buffer.from("ada:pässword", "utf8").toString("base64")}`,
    );
  });

  it("takes HTTP basic from the scheme's two environment variables", async () => {
    vi.stubEnv("THINGS_USERNAME", "ada");
    vi.stubEnv("THINGS_PASSWORD", "secret");
    const { fetch, requests } = recordingFetch();
    await create({ fetch }).getThing(thingId);
    expect(requests[0]!.headers.get("authorization")).toBe(`Basic ${btoa("ada:secret")}`);
  });

  it("sends an operation whose requirements include `{}` without credentials when it holds none", async () => {
    const { fetch, requests } = recordingFetch();
    await create({ fetch }).getThing(thingId);
    expect(requests[0]!.headers.has("authorization")).toBe(false);
  });

  it("meets the first alternative it holds every credential of, and sends a combined one whole", async () => {
    const { fetch, requests } = recordingFetch();
    await create({ fetch, credentials: { queryKey: "q-key", cookieKey: "c-key" } }).updateThing(renamed);
    const [request] = requests;
    expect(new URL(request!.url).searchParams.get("key")).toBe("q-key");
    expect(request!.headers.get("cookie")).toBe("session=c-key");
    expect(request!.headers.has("authorization")).toBe(false);
  });

  it("adds a query key after the query's own parameters, leaving their encoding as written", async () => {
    const { fetch, requests } = recordingFetch();
    const client = create({ fetch, credentials: { queryKey: "q key", cookieKey: "c" } });
    // URLSearchParams would write the query anew: `a+b`, a literal plus to a reader of RFC 3986.
    await client.updateThing({ ...renamed, params: { ...renamed.params, query: { q: "a b" } } } as never);
    expect(new URL(requests[0]!.url).search).toBe("?q=a%20b&key=q%20key");
  });

  it("prefers the requirement the spec lists first when it holds several", async () => {
    const { fetch, requests } = recordingFetch();
    await create({ fetch, credentials: { oauth: "token", queryKey: "q", cookieKey: "c" } }).updateThing(renamed);
    expect(requests[0]!.headers.get("authorization")).toBe("Bearer token");
    expect(new URL(requests[0]!.url).search).toBe("");
  });

  it("calls an access-token function for every call, so a token can refresh", async () => {
    const { fetch, requests } = recordingFetch();
    let issued = 0;
    const client = create({ fetch, credentials: { oauth: async () => `token-${++issued}` } });
    await client.updateThing(renamed);
    await client.updateThing(renamed);
    expect(requests.map((request) => request.headers.get("authorization"))).toEqual([
      "Bearer token-1",
      "Bearer token-2",
    ]);
  });

  it("rejects a call it holds no credentials for, naming the schemes and their variables, before sending", async () => {
    const { fetch, requests } = recordingFetch();
    const call = create({ fetch, credentials: { queryKey: "only-half" } }).updateThing(renamed);
    await expect(call).rejects.toThrow(MissingCredentialsError);
    await expect(call).rejects.toThrow(
      "PATCH /things/{id} of Things API needs credentials for oauth, or queryKey and cookieKey: pass them as { credentials } or set THINGS_OAUTH, THINGS_QUERY_KEY, THINGS_COOKIE_KEY.",
    );
    expect(requests).toHaveLength(0);
  });

  it("sends no credentials and needs none with `credentials: null`", async () => {
    vi.stubEnv("THINGS_OAUTH", "from-env");
    const { fetch, requests } = recordingFetch();
    await create({ fetch, credentials: null }).updateThing(renamed);
    expect(requests[0]!.headers.has("authorization")).toBe(false);
  });

  it("sends no credential to another host, whatever the call's baseUrl", async () => {
    const { fetch, requests } = recordingFetch();
    const client = create({ fetch, credentials: { oauth: "token", queryKey: "q", cookieKey: "c" } });
    await client.updateThing({ ...renamed, baseUrl: "https://elsewhere.test" });
    expect(requests[0]!.headers.has("authorization")).toBe(false);
  });
});
