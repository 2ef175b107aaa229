import { build } from "esbuild";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { negotiated } from "../src/msw/answers.ts";
import { type MockDescription, type MockOperation, mockApi, type SchemaError } from "../src/msw.ts";

const base = "http://things.test";

/** Stands in for a package's precompiled checks: a `name` of type string in bodies, `limit` a whole number in queries. */
const checks: MockDescription["checks"] = {
  requestViolationsOf(_method, _path, part, value) {
    const errors: SchemaError[] = [];
    const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
    if (part === "body" && typeof record.name !== "string")
      errors.push({ instancePath: "/name", keyword: "type", message: "must be string", params: {} });
    // A form's fields as the checks get them: an object, a field given twice a list.
    if (part === "form" && !Array.isArray(record.tags))
      errors.push({ instancePath: "/tags", keyword: "type", message: "must be array", params: {} });
    if (part === "query" && record.limit !== undefined && !/^\d+$/.test(String(record.limit)))
      errors.push({ instancePath: "/limit", keyword: "type", message: "must be integer", params: {} });
    if (part === "query" && record.tags !== undefined && !Array.isArray(record.tags))
      errors.push({ instancePath: "/tags", keyword: "type", message: "must be array", params: {} });
    return errors;
  },
  violationsOf: (_method, _path, _status, body) =>
    typeof (body as { message?: unknown })?.message === "string" ? [] : [{ pointer: "", message: "no message" }],
};

const problem = (status: string, message: string) => ({
  status,
  mediaType: "application/json",
  examples: [{ name: `example${status}`, value: { message } }],
  checked: true as const,
});

const thing: MockOperation = {
  method: "patch",
  path: "/things/{id}",
  security: [["basic"], ["key", "session"]],
  parameters: [
    { name: "id", in: "path" },
    { name: "limit", in: "query" },
    { name: "tags", in: "query", shape: "array", explode: false },
  ],
  body: { required: true },
  responses: [
    { status: "200", mediaType: "application/json", examples: [], body: { name: "generated" } },
    { status: "201", mediaType: "application/json", examples: [{ name: "created", value: { name: "new" } }] },
    problem("4XX", "client error"),
    { status: "204", examples: [] },
  ],
};

const api: MockDescription = {
  defaultBaseUrl: base,
  schemes: {
    basic: { in: "header", name: "Authorization", scheme: "basic" },
    key: { in: "query", name: "api_key" },
    session: { in: "cookie", name: "session" },
  },
  operations: {
    updateThing: thing,
    listThings: {
      ...thing,
      method: "get",
      body: undefined,
      security: [],
      responses: [{ status: "200", examples: [] }, problem("400", "bad")],
    },
  },
  checks,
};

interface Answers {
  updateThing: { statuses: { 200: { name: string }; 201: { name: string } }; examples: "created" };
  listThings: { statuses: { 200: undefined; 400: { message: string } }; examples: never };
}
const mocks = mockApi<Answers>(api);
const server = setupServer(...mocks.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const basic = `Basic ${btoa("user:password")}`;
const patch = (url: string, headers: Record<string, string>, body: unknown = { name: "x" }) =>
  fetch(`${base}${url}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("the MSW handlers (client-core's engine under each package's ./msw entry)", () => {
  it("checks credentials as the Prism mocks do: basic, or an API key in the query with a cookie", async () => {
    expect((await patch("/things/1", { authorization: basic })).status).toBe(200);
    expect((await patch("/things/1?api_key=k", { cookie: "session=s" })).status).toBe(200);
    expect((await patch("/things/1?api_key=k", {})).status).toBe(401);
    expect((await patch("/things/1", { authorization: "Basic not-base64!" })).status).toBe(401);
    const answer = await patch("/things/1", { authorization: "Bearer token" });
    // The documented 4XX, its message the violation.
    expect(await answer.json()).toEqual({ message: "Invalid security scheme used" });
  });

  it("takes an optional requirement (`- {}`) as Prism does: met only without an Authorization header", async () => {
    server.use(...mockApi({ ...api, operations: { optional: { ...thing, security: [["key"], []] } } }).handlers);
    expect((await patch("/things/1", {})).status).toBe(200);
    expect((await patch("/things/1", { authorization: "Bearer t" })).status).toBe(401);
    expect((await patch("/things/1?api_key=k", { authorization: "Bearer t" })).status).toBe(200);
  });

  // As the Prism mocks: a 1xx is an interim answer in HTTP, and a Response of one cannot be made.
  it("answers 501 saying so where an operation documents only a 1xx", async () => {
    const early = { ...thing, security: [[]], responses: [{ status: "103", examples: [] }] };
    server.use(...mockApi({ ...api, operations: { early } }).handlers);
    const answer = await patch("/things/1", {});
    expect(answer.status).toBe(501);
    expect((await answer.json()).detail).toMatch(/documents 103, an informational status/);
  });

  it("answers a binary response with its file's bytes, in its media type", async () => {
    const png = "iVBORw0KGgo="; // the eight bytes of a PNG signature
    const image = {
      ...thing,
      security: [[]],
      responses: [{ status: "200", mediaType: "image/png", examples: [], file: png }],
    };
    server.use(...mockApi({ ...api, operations: { image } }).handlers);
    const answer = await patch("/things/1", {});
    expect(answer.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await answer.arrayBuffer()).toString("base64")).toBe(png);
  });

  it("answers a response's event stream beside its JSON where Accept prefers it, as the Prism mocks negotiate", async () => {
    const events = { examples: [], body: { event: "delta", data: { text: "Hi" } }, eventFields: true as const };
    const completion = {
      ...thing,
      security: [[]],
      responses: [{ status: "200", mediaType: "application/json", examples: [], body: { text: "Hi" }, events }],
    };
    server.use(...mockApi({ ...api, operations: { completion } }).handlers);
    const asked = async (accept?: string) => {
      const answer = await patch("/things/1", accept === undefined ? {} : { accept });
      return `${answer.headers.get("content-type")} ${await answer.text()}`;
    };
    const json = 'application/json {"text":"Hi"}';
    const stream = 'text/event-stream event: delta\ndata: {"text":"Hi"}\n\n';
    expect(await asked("text/event-stream")).toBe(stream);
    expect(await asked("application/json, text/event-stream")).toBe(json);
    expect(await asked()).toBe(json);
  });

  it("answers the lowest 2xx: its generated body where it has no example", async () => {
    const answer = await patch("/things/1", { authorization: basic });
    expect(await answer.json()).toEqual({ name: "generated" });
  });

  it("refuses a body and query the checks refuse with 422 from a 4XX response, every violation in Prism's words", async () => {
    const answer = await patch("/things/1?limit=ten&tags=a,b", { authorization: basic }, { name: 5 });
    expect(answer.status).toBe(422);
    expect(await answer.json()).toEqual({
      message: "Request query parameter limit must be integer (type); Request body property name must be string (type)",
    });
  });

  it("checks a URL-encoded form body by its fields, a field given twice as a list, as the Prism mocks read it", async () => {
    const form = (body: string) =>
      fetch(`${base}/things/1`, {
        method: "PATCH",
        headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
        body,
      });
    expect((await form("tags=a&tags=b")).status).toBe(200);
    const refused = await form("tags=a");
    expect([refused.status, await refused.json()]).toEqual([
      422,
      { message: "Request body property tags must be array (type)" },
    ]);
  });

  it("reads a list parameter by its style (explode: false, comma-separated)", async () => {
    const answer = await fetch(`${base}/things/1?tags=a,b`);
    expect(answer.status).toBe(200);
  });

  it("refuses with the documented 400 where there is neither 422 nor 4XX, and a missing required body", async () => {
    const answer = await fetch(`${base}/things/1?limit=x`);
    expect(answer.status).toBe(400);
    const missing = await fetch(`${base}/things/1`, { method: "PATCH", headers: { authorization: basic } });
    expect(await missing.json()).toEqual({ message: "Body parameter is required (required)" });
  });

  it("honours Prefer as the Prism mocks do, and names the examples when asked for one it does not document", async () => {
    const created = await patch("/things/1", { authorization: basic, prefer: "example=created" });
    expect([created.status, await created.json()]).toEqual([201, { name: "new" }]);
    const empty = await patch("/things/1", { authorization: basic, prefer: "code=204" });
    expect([empty.status, await empty.text()]).toEqual([204, ""]);
    const unknown = await patch("/things/1", { authorization: basic, prefer: "example=nope" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      detail: "Prefer: example=nope names no example of updateThing; it documents created",
    });
  });

  it("refuses a path with a broken percent escape with the documented 400, in the Prism mocks' words", async () => {
    const answer = await fetch(`${base}/things/x%E0%A4%A?limit=1`);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ message: "the path /things/x%E0%A4%A is not valid percent-encoding" });
  });

  it("answers 405 with Allow to a method the spec does not document on a path", async () => {
    const answer = await fetch(`${base}/things/1`, { method: "DELETE" });
    expect([answer.status, answer.headers.get("allow")]).toEqual([405, "PATCH, GET"]);
  });

  // As the Prism mocks route: `/things/count` is its own path, not `/things/{id}` with the id "count".
  it("routes a concrete path before a templated one: another method on it is 405, not the templated operation's answer", async () => {
    const count: MockOperation = {
      ...thing,
      method: "get",
      path: "/things/count",
      parameters: [],
      body: undefined,
      security: [],
    };
    server.use(...mockApi({ ...api, operations: { ...api.operations, countThings: count } }).handlers);
    const answer = await patch("/things/count", { authorization: basic });
    expect([answer.status, answer.headers.get("allow")]).toEqual([405, "GET"]);
    expect((await patch("/things/1", { authorization: basic })).status).toBe(200);
  });

  // OpenAI's `/responses?beta=true` beside `/responses`: two operations on one path told apart by a query.
  it("routes a path keyed by a query to its operation when the request carries that query, else to the plain path's", async () => {
    const answering = (path: string, name: string): MockOperation => ({
      ...thing,
      path,
      security: [],
      responses: [{ status: "200", mediaType: "application/json", examples: [], body: { name } }],
    });
    const operations = { plain: answering("/things/{id}", "plain"), beta: answering("/things/{id}?beta=true", "beta") };
    server.use(...mockApi({ ...api, operations }).handlers);
    const answered = async (url: string) => (await (await patch(url, {})).json()).name;
    expect(await answered("/things/1?beta=true&limit=2")).toBe("beta");
    expect(await answered("/things/1?limit=2")).toBe("plain");
    expect(await answered("/things/1?beta=false")).toBe("plain");
  });

  it("holds a JSON null, false or 0 body to its schema, as the Prism mocks do (an empty body is none)", async () => {
    for (const body of [null, false, 0])
      expect((await patch("/things/1", { authorization: basic }, body)).status).toBe(422);
  });

  it("overrides one operation's answer with a status, an example or a typed body, and still checks the request", async () => {
    server.use(mocks.override("updateThing", { status: 201, body: { name: "mine" } }));
    expect(await (await patch("/things/1", { authorization: basic })).json()).toEqual({ name: "mine" });
    expect((await patch("/things/1", {})).status).toBe(401);
    server.use(mocks.override("listThings", { status: 400 }));
    expect(await (await fetch(`${base}/things/1`)).json()).toEqual({ message: "bad" });
    // @ts-expect-error a status the spec does not document
    mocks.override("updateThing", { status: 404 });
    // @ts-expect-error a body not of the status's type
    mocks.override("updateThing", { status: 200, body: { name: 1 } });
    // @ts-expect-error an example the operation does not document
    mocks.override("updateThing", { example: "deleted" });
  });

  it("serves another base URL with createHandlers", async () => {
    server.use(...mocks.createHandlers({ baseUrl: "http://elsewhere.test/v2" }));
    const answer = await fetch("http://elsewhere.test/v2/things/1?tags=a");
    expect(answer.status).toBe(200);
  });

  // Every mock front shares the answers; the handlers run in browsers, under a strict CSP.
  it.each(["mock.ts", "msw.ts"])("%s bundles for a browser, without Node APIs or eval", async (entry) => {
    const result = await build({
      entryPoints: [new URL(`../src/${entry}`, import.meta.url).pathname],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/\beval\(|new Function\(/);
  });
});

describe("negotiated, the media type an Accept header prefers", () => {
  // Each as the Prism mock answered Mistral's chat completions (JSON, then text/event-stream in its spec).
  it.each([
    ["text/event-stream", "text/event-stream"],
    ["application/json, text/event-stream", "application/json"],
    ["text/event-stream, application/json", "text/event-stream"],
    ["application/json;q=0.5, text/event-stream", "text/event-stream"],
    ["*/*", "application/json"],
    ["text/*", "text/event-stream"],
    [null, "application/json"],
    ["image/png", undefined],
  ])("%s: %s", (accept, chosen) => {
    expect(negotiated(accept, ["application/json", "text/event-stream"])).toBe(chosen);
  });
});
