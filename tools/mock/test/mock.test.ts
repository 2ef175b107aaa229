import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@contracts/cli";
import { fixtureRoot } from "@contracts/fixtures";
import { listApis, repoRelative, responsesOf, SpecError, specValidator, UnknownApiError } from "@contracts/spec";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenAPI3 } from "openapi-typescript";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  type MockRequest,
  MockStartError,
  type Mocks,
  maxBodyBytes,
  startMocks,
  undocumentedHeader,
} from "../src/index.ts";
import { listening } from "./listening.ts";
import { type ExampleRequest, exampleRequests, send } from "./specs.ts";

const running: Mocks[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((mocks) => mocks.stop()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** The mocks of the fixture registry (or of `options.root`). */
async function start(options: Parameters<typeof startMocks>[0] = {}): Promise<Mocks> {
  const mocks = await startMocks({ root: fixtureRoot, ...options });
  running.push(mocks);
  return mocks;
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, "127.0.0.1", () => resolve(server));
    cleanups.push(() => new Promise((done) => server.close(done)));
  });
}

/** A copy of the fixture registry and specs to edit, removed after the test. */
async function scratchRoot(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "mock-test-"));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await cp(fixtureRoot, root, { recursive: true });
  return root;
}

/** Validates against the schema the spec documents for a response status: independent of the mock's code. */
function responseValidator(document: OpenAPI3) {
  const validate = specValidator(document);
  return (request: ExampleRequest, status: number, body: unknown) => {
    const documented = responsesOf(document, request.operation).find((response) => response.status === String(status));
    if (!documented?.schema)
      throw new Error(`${request.api.id} documents no JSON ${status} for ${request.operation.id}`);
    return validate(documented.schemaPointer, body);
  };
}

/** A copy of a response body without the properties its schema does not declare, at any depth. */
function declaredOnly(request: ExampleRequest, status: number, body: unknown): unknown {
  const ajv = new Ajv2020({ strict: false, validateSchema: false, removeAdditional: "all" });
  addFormats.default(ajv);
  ajv.addSchema(request.document as object, "spec");
  const documented = responsesOf(request.document, request.operation).find(
    (response) => response.status === String(status),
  );
  const copy = structuredClone(body);
  ajv.getSchema(`spec#${documented!.schemaPointer}`)!(copy);
  return copy;
}

/** The body with a property outside Latin-1 added to every object in it, at any depth. */
function withStrayProperty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withStrayProperty);
  if (typeof value !== "object" || value === null) return value;
  return { ...Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withStrayProperty(item)])), ā: 1 };
}

/** Every documented response status of an operation with its named JSON examples. */
function namedExamples(request: ExampleRequest) {
  return responsesOf(request.document, request.operation).flatMap(({ status, examples }) =>
    examples.map((example) => ({ status: Number(status), ...example })),
  );
}

const requests = await exampleRequests();
const apiIds = (await listApis(fixtureRoot)).map((api) => api.id);
const freePorts = async (ids: string[]) =>
  Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await freePort()] as const)));

describe("startMocks", () => {
  it("serves every API of the registry on free ports, with validation and security checks on", async () => {
    const mocks = await start();
    expect(Object.keys(mocks.urls)).toEqual(apiIds);
    for (const request of requests) {
      const ok = await send(mocks.urls[request.api.id]!, request);
      expect(ok.status, `${request.api.id} ${request.operation.id}`).toBeLessThan(300);
      const anonymous = await send(mocks.urls[request.api.id]!, { ...request, credentials: {} });
      expect(anonymous.status, `${request.api.id} ${request.operation.id} without credentials`).toBe(401);
    }
  });

  it("lists each operation with an example path", async () => {
    const mocks = await start();
    expect(
      mocks.mocks.map((mock) => ({
        id: mock.id,
        url: mock.url,
        operations: mock.operations.map((operation) => `${operation.method} ${operation.examplePath}`),
      })),
    ).toEqual(
      apiIds.map((id) => ({
        id,
        url: mocks.urls[id],
        operations: requests
          .filter((request) => request.api.id === id)
          .map((request) => `${request.operation.method.toUpperCase()} ${request.path}`),
      })),
    );
  });

  it("stop closes every server and frees its port", async () => {
    const ports = await freePorts(apiIds);
    const mocks = await start({ ports });
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(true);
    await mocks.stop();
    for (const port of Object.values(ports)) expect(await listening(port)).toBe(false);
  });

  it("reports each request served: method, path, status and violations", async () => {
    const served: MockRequest[] = [];
    const mocks = await start({ onRequest: (request) => served.push(request) });
    for (const request of requests)
      await send(mocks.urls[request.api.id]!, request, { body: withStrayProperty(request.body) });
    expect(served.map(({ api, method, path, status }) => ({ api, method, path, status }))).toEqual(
      requests.map((request) => ({
        api: request.api.id,
        method: request.operation.method.toUpperCase(),
        path: request.path,
        status: 400,
      })),
    );
    for (const answered of served) expect(answered.violations.join()).toMatch(/ā/);
  });

  // Prism's generator would add keys with random names wherever a schema does not forbid them.
  it("generates bodies from the schemas with dynamic, holding only the properties the schemas declare", async () => {
    const mocks = await start({ dynamic: true });
    for (const request of requests) {
      const response = await send(mocks.urls[request.api.id]!, request);
      expect(response.status).toBeLessThan(300);
      const documented = namedExamples(request).find((example) => example.status === response.status);
      const body = await response.json();
      expect(body).not.toEqual(documented?.value);
      expect(body).toEqual(declaredOnly(request, response.status, body));
    }
  });

  it("rejects an unknown API id, naming the known ones", async () => {
    await expect(startMocks({ root: fixtureRoot, apis: ["nope"] })).rejects.toThrow(UnknownApiError);
  });

  it("fails fast on a busy port, naming the API, and leaves no mock running", async () => {
    const ports = await freePorts(apiIds);
    const last = apiIds.at(-1)!;
    const api = (await listApis(fixtureRoot)).at(-1)!;
    await occupy(ports[last]!);
    const failure = startMocks({ root: fixtureRoot, ports });
    await expect(failure).rejects.toThrow(MockStartError);
    await expect(failure).rejects.toThrow(
      `Mock of "${last}" (${repoRelative(api.specPath, fixtureRoot)}) could not start: port ${ports[last]} on 127.0.0.1 is already in use`,
    );
    for (const id of apiIds.slice(0, -1)) expect(await listening(ports[id]!)).toBe(false);
  });

  it("reports a spec that cannot be parsed, naming the API, the file and the line, and serves the others", async () => {
    const root = await scratchRoot();
    const [api, ...others] = await listApis(root);
    await writeFile(api!.specPath, "openapi: 3.1.0\npaths: [\n");
    const file = repoRelative(api!.specPath, root);
    const mocks = await start({ root });
    expect(mocks.unserved).toEqual([
      {
        id: api!.id,
        reason: expect.stringContaining(
          `Mock of "${api!.id}" (${file}) could not start: its spec cannot be served; fix it and run again:\n  ${file}:3:1`,
        ),
      },
    ]);
    expect(Object.keys(mocks.urls)).toEqual(others.map((other) => other.id));
    for (const other of others) expect(await listening(Number(new URL(mocks.urls[other.id]!).port))).toBe(true);
    // None can serve: nothing to start.
    const alone = startMocks({ root, apis: [api!.id] });
    await expect(alone).rejects.toThrow(MockStartError);
    await expect(alone).rejects.toThrow(`Mock of "${api!.id}" (${file}) could not start`);
  });

  // One verdict per spec: what lint and generate refuse, the mock refuses too.
  it("reports a spec the lint rules refuse (a missing operationId), naming file, line and rule", async () => {
    const root = await scratchRoot();
    const [api] = await listApis(root);
    const spec = await readFile(api!.specPath, "utf8");
    await writeFile(api!.specPath, spec.replace(/^\s+operationId: .*\n/m, ""));
    const mocks = await start({ root });
    expect(mocks.unserved.map((unserved) => unserved.reason)).toEqual([
      expect.stringMatching(
        new RegExp(
          `could not start: its spec cannot be served.*\\n.*${repoRelative(api!.specPath, root)}:\\d+:\\d+ .*operation-operationId`,
        ),
      ),
    ]);
  });
});

describe("hostile requests get an answer and every mock keeps serving", () => {
  let mocks: Mocks;
  const served: MockRequest[] = [];
  beforeAll(async () => {
    mocks = await startMocks({ root: fixtureRoot, onRequest: (request) => served.push(request) });
    return () => mocks.stop();
  });
  afterEach(async () => {
    // Every mock still answers its example call, and none failed internally.
    for (const request of requests) expect((await send(mocks.urls[request.api.id]!, request)).status).toBeLessThan(300);
    expect(served.filter((request) => request.internalError)).toEqual([]);
  });
  const url = (request: ExampleRequest) => mocks.urls[request.api.id]!;
  const each = it.each(requests.map((request) => ({ ...request, name: `${request.api.id} ${request.operation.id}` })));

  each("$name: a property name outside Latin-1 gets 400 naming it", async (request) => {
    const response = await send(url(request), request, { body: withStrayProperty(request.body) });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/ā/);
    expect(
      JSON.parse(response.headers.get("sl-violations")!)
        .map((violation: { message: string }) => violation.message)
        .join(),
    ).toMatch(/ā/);
  });

  each("$name: truncated JSON gets 400 at once, in the documented error shape", async (request) => {
    const response = await send(url(request), request, { body: JSON.stringify(request.body).slice(0, -3) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(responseValidator(request.document)(request, 400, body)).toEqual([]);
    expect(JSON.stringify(body)).toMatch(/not valid JSON/);
  });

  each("$name: a path with a broken percent escape gets 400", async (request) => {
    const response = await fetch(`${url(request)}${request.path}%E0%A4%A`, {
      method: request.operation.method.toUpperCase(),
      headers: request.credentials,
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/is not valid percent-encoding/);
  });

  each("$name: a body that is not UTF-8 gets 400", async (request) => {
    const response = await send(url(request), request, {
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/not valid UTF-8/);
  });

  each("$name: a body over the limit gets 413", async (request) => {
    const response = await send(url(request), request, { body: JSON.stringify({ padding: "x".repeat(maxBodyBytes) }) });
    expect(response.status).toBe(413);
  });

  each("$name: a streamed body over the limit gets 413 too", async (request) => {
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        if (sent > 2 * maxBodyBytes) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${url(request)}${request.path}`, {
      method: request.operation.method.toUpperCase(),
      headers: { "content-type": "application/json", ...request.credentials },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  each("$name: an undocumented method gets 405 with Allow naming the documented ones", async (request) => {
    const documented = requests
      .filter((other) => other.api === request.api && other.operation.path === request.operation.path)
      .map((other) => other.operation.method.toUpperCase());
    const response = await send(url(request), request, { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")?.split(", ").sort()).toEqual(documented.sort());
  });
});

describe("answers that tell the truth", () => {
  /** The URL of a mock of one spec, written in place of a scratch registry's first, with lint rules of its own. */
  async function mockOf(spec: string, rules = "{}"): Promise<string> {
    const root = await scratchRoot();
    const [api] = await listApis(root);
    const registry = path.join(root, "redocly.yaml");
    const written = `root: ${repoRelative(api!.specPath, root)}`;
    await writeFile(registry, (await readFile(registry, "utf8")).replace(written, `${written}\n    rules: ${rules}`));
    await writeFile(
      api!.specPath,
      `openapi: 3.1.0
info: { title: Scratch, version: 1.0.0, license: { name: MIT, identifier: MIT } }
servers: [{ url: "https://scratch.test" }]
security: []
${spec}`,
    );
    const mocks = await start({ root, apis: [api!.id] });
    return mocks.urls[api!.id]!;
  }

  // Node sends a 1xx as an interim answer, and the client would wait for a final one that never came.
  it("answers 501, marked undocumented, where an operation documents only a 1xx, instead of leaving the client waiting", async () => {
    const url = await mockOf(`paths:
  /hints:
    get:
      operationId: getHints
      summary: Early hints
      responses:
        "103": { description: Early hints }
        "400": { description: Bad request }
`);
    const response = await fetch(`${url}/hints`);
    expect(response.status).toBe(501);
    expect(response.headers.get(undocumentedHeader)).toBe("501");
    expect((await response.json()).detail).toMatch(
      /documents 103, an informational status HTTP cannot send as a final answer/,
    );
  });

  // Prism, finding no response, failed before checking the request: every request got the 204.
  it("checks requests to an operation without responses: valid 204, invalid Prism's 422, both marked undocumented", async () => {
    const url = await mockOf(
      `paths:
  /items:
    get:
      operationId: listItems
      summary: List items
      parameters:
        - { name: limit, in: query, required: true, schema: { type: integer } }
      responses: {}
`,
      "{ operation-4xx-response: off, operation-2xx-response: off }",
    );
    const valid = await fetch(`${url}/items?limit=5`);
    expect(valid.status).toBe(204);
    expect(valid.headers.get(undocumentedHeader)).toBe("204");
    const invalid = await fetch(`${url}/items?limit=five`);
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get(undocumentedHeader)).toBe("422");
    expect(invalid.headers.get("sl-violations")).toMatch(/limit must be integer/);
  });

  // openai documents `Transfer-Encoding: chunked` on its audio answer: sent over a body Node framed by
  // its length, the client waited for a chunk that never came until the connection closed (a minute).
  it("frames the body itself, whatever framing headers the spec documents", async () => {
    const url = await mockOf(`paths:
  /speech:
    get:
      operationId: getSpeech
      summary: Speech
      responses:
        "200":
          description: Audio
          headers:
            Transfer-Encoding: { schema: { type: string }, example: chunked }
            Content-Length: { schema: { type: integer }, example: 999 }
          content:
            application/octet-stream: { schema: { type: string, format: binary } }
        "400": { description: Bad request }
`);
    const response = await fetch(`${url}/speech`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("256");
    expect((await response.arrayBuffer()).byteLength).toBe(256);
  });

  /** An operation answering `{ name }` with 200, and 400 for a bad request, as a path item's YAML. */
  const thing = (name: string, { method = "get", parameters = "[]" } = {}) => `
    ${method}:
      operationId: ${name}
      summary: The ${name} thing
      parameters: ${parameters}
      responses:
        "200":
          description: The thing
          content:
            application/json: { schema: { type: object }, example: { name: ${name} } }
        "400": { description: Bad request }`;

  // OpenAI's `/responses?beta=true` beside `/responses`: both mocks routed on the path alone, to the plain one.
  it("routes a path keyed by a query to its operation when the request carries that query, else to the plain one", async () => {
    const url = await mockOf(
      `paths:
  /things:${thing("plain")}
  /things?beta=true:${thing("beta", { parameters: "[{ name: X-Beta, in: header, required: true, schema: { enum: [v1] } }]" })}
`,
      "{ path-not-include-query: off }",
    );
    const get = (path: string, beta: string) => fetch(`${url}${path}`, { headers: { "x-beta": beta } });
    expect(await (await get("/things?beta=true", "v1")).json()).toEqual({ name: "beta" });
    expect((await get("/things?beta=true", "v2")).status).toBe(400);
    expect(await (await get("/things", "v2")).json()).toEqual({ name: "plain" });
  });

  // Box's `/files/{file_id}#add_shared_link` beside `GET /files/{file_id}`: no request carries a fragment.
  it("routes a path keyed apart by a #fragment as the path, to the first operation listed for the method", async () => {
    const url = await mockOf(
      `paths:
  /things:${thing("plain")}
  /things#shared:${thing("shared")}
  /things#add:${thing("add", { method: "put" })}
`,
      "{ path-not-include-query: off }",
    );
    expect(await (await fetch(`${url}/things`)).json()).toEqual({ name: "plain" });
    expect(await (await fetch(`${url}/things`, { method: "PUT" })).json()).toEqual({ name: "add" });
  });

  // Prism took a JSON body of 0, false, "" or null for none ("Body parameter is required": 422).
  it("takes a required JSON body of 0, false or null as a body, held to its schema", async () => {
    const url = await mockOf(`paths:
  /count:
    put:
      operationId: putCount
      summary: Set the count
      requestBody:
        required: true
        content:
          application/json: { schema: { type: integer } }
      responses:
        "204": { description: Set }
        "400": { description: Bad request }
  /flag:
    put:
      operationId: putFlag
      summary: Set the flag
      requestBody:
        required: true
        content:
          application/json: { schema: { type: boolean } }
          text/plain: { examples: { on: { value: "true" } } }
      responses:
        "204": { description: Set }
        "400": { description: Bad request }
  /items:
    put:
      operationId: putItems
      summary: Add items, to an object without a type, documenting no 400 or 422 (OpenAI's conversation items)
      requestBody:
        required: true
        content:
          application/json: { schema: { properties: { items: { type: array } }, required: [items] } }
      responses:
        "204": { description: Added }
        "429": { description: Too many requests }
`);
    const put = (path: string, body: string, contentType = "application/json") =>
      fetch(`${url}${path}`, { method: "PUT", headers: { "content-type": contentType }, body });
    expect((await put("/count", "0")).status).toBe(204);
    expect((await put("/flag", "false")).status).toBe(204);
    const wrong = await put("/count", "false");
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get("sl-violations")).toMatch(/Request body must be integer/);
    // A media type with examples and no schema: nothing to hold the body to (it was a 500).
    expect((await put("/flag", "true", "text/plain")).status).toBe(204);
    // JSON Schema's `required` and `properties` hold objects only: null is a body this schema takes.
    expect((await put("/items", "null")).status).toBe(204);
  });

  let mocks: Mocks;
  beforeAll(async () => {
    mocks = await startMocks({ root: fixtureRoot });
    return () => mocks.stop();
  });
  const url = (request: ExampleRequest) => mocks.urls[request.api.id]!;
  const each = it.each(requests.map((request) => ({ ...request, name: `${request.api.id} ${request.operation.id}` })));

  each("$name: a rejected body gets the documented error shape carrying the actual violations", async (request) => {
    const rejected = await send(url(request), request, { body: withStrayProperty(request.body) });
    const body = await rejected.json();
    expect(responseValidator(request.document)(request, rejected.status, body)).toEqual([]);
    expect(namedExamples(request).map((example) => example.value)).not.toContainEqual(body);
    expect(JSON.stringify(body)).toMatch(/ā/);
  });

  // The case: `{}` to Pipecat Cloud answered "Property 'invalidProp' is not a valid property".
  each(
    "$name: {} and missing credentials get bodies naming what is wrong, in the documented shape",
    async (request) => {
      const anonymous = { ...request, credentials: {} };
      for (const [response, reason] of [
        [await send(url(request), request, { body: {} }), /\(\w+\)/],
        [await send(url(request), anonymous), /security/i],
      ] as const) {
        const body = await response.json();
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(responseValidator(request.document)(request, response.status, body)).toEqual([]);
        expect(namedExamples(request).map((example) => example.value)).not.toContainEqual(body);
        expect(JSON.stringify(body)).toMatch(reason);
      }
    },
  );

  each("$name: Prefer example=<name> alone answers every named example under its own status", async (request) => {
    for (const example of namedExamples(request)) {
      const response = await send(url(request), request, { headers: { prefer: `example=${example.name}` } });
      expect(response.status, example.name).toBe(example.status);
      expect(await response.json()).toEqual(example.value);
    }
  });

  // Prism answers a rejected body with its 400 whatever the Prefer code: the example still picks which 400.
  each("$name: Prefer code and example force the documented 400 example, even for a rejected body", async (request) => {
    for (const example of namedExamples(request).filter(({ status }) => status === 400)) {
      const response = await send(url(request), request, {
        body: withStrayProperty(request.body),
        headers: { prefer: `code=${example.status}, example=${example.name}` },
      });
      expect(response.status).toBe(example.status);
      expect(await response.json()).toEqual(example.value);
    }
  });
});

// Every query parameter used to get 400: Prism was handed each value as a list.
it("accepts a query parameter given once and a repeated one, and refuses a value the spec rules out", async () => {
  const root = await scratchRoot();
  const [request] = await exampleRequests(root);
  const spec = parse(await readFile(request!.api.specPath, "utf8"));
  const operation = spec.paths[request!.operation.path][request!.operation.method];
  operation.parameters = [
    ...(operation.parameters ?? []),
    { name: "limit", in: "query", description: "At most this many.", schema: { type: "integer", maximum: 50 } },
    { name: "tag", in: "query", description: "Any of these.", schema: { type: "array", items: { type: "string" } } },
  ];
  await writeFile(request!.api.specPath, stringify(spec));
  const mocks = await start({ root, apis: [request!.api.id] });
  const url = mocks.urls[request!.api.id]!;
  expect((await send(url, { ...request!, path: `${request!.path}?limit=15&tag=a&tag=b` })).status).toBeLessThan(300);
  expect((await send(url, { ...request!, path: `${request!.path}?limit=15&tag=a` })).status).toBeLessThan(300);
  const refused = await send(url, { ...request!, path: `${request!.path}?limit=51` });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(await refused.json())).toMatch(/limit/);
});

describe("the key", () => {
  const key = "mock-test-key-7c41d2";
  /** The request with the distinctive key in place of the usual one, whatever the scheme. */
  const withKey = (request: ExampleRequest, scheme = "") => ({
    ...request,
    credentials: Object.fromEntries(
      Object.entries(request.credentials).map(([header, value]) => [
        header,
        `${scheme}${value.replace("test-key", key)}`,
      ]),
    ),
  });

  it("appears in no answer and no line of the request log, accepted or refused", async () => {
    const served: MockRequest[] = [];
    const mocks = await start({ onRequest: (request) => served.push(request) });
    const shown: string[] = [];
    for (const request of requests) {
      const url = mocks.urls[request.api.id]!;
      for (const response of [
        await send(url, withKey(request)),
        await send(url, withKey(request), { body: withStrayProperty(request.body) }),
        await send(url, withKey(request), { body: {} }),
        await send(url, withKey(request, "Basic ")),
      ]) {
        response.headers.forEach((value, name) => {
          shown.push(`${name}: ${value}`);
        });
        shown.push(await response.text());
      }
    }
    expect(served).toHaveLength(requests.length * 4);
    expect(new Set(served.map((request) => request.status)).size).toBeGreaterThan(1);
    expect([...shown, JSON.stringify(served)].join("\n")).not.toContain(key);
  });
});

describe("reload", () => {
  it("answers with the edited spec on the same port and keeps the last good one when the edit is unusable", async () => {
    const root = await scratchRoot();
    const [request] = await exampleRequests(root);
    const [changed] = namedExamples(request!).filter(({ status }) => status < 300);
    const others = (await listApis(root)).filter((api) => api.id !== request!.api.id);
    const mocks = await start({ root });
    const before = mocks.urls;

    const spec = await readFile(request!.api.specPath, "utf8");
    const edited = spec.replace(`${changed!.name}:`, `${changed!.name}Renamed:`);
    expect(edited).not.toBe(spec);
    await writeFile(request!.api.specPath, edited);
    await mocks.reload(request!.api.id);
    expect(mocks.urls).toEqual(before);
    expect(
      (await send(mocks.urls[request!.api.id]!, request!, { headers: { prefer: `example=${changed!.name}Renamed` } }))
        .status,
    ).toBe(changed!.status);
    expect(
      (
        await send(mocks.urls[request!.api.id]!, request!, {
          headers: { prefer: `code=${changed!.status}, example=${changed!.name}` },
        })
      ).status,
    ).toBe(404);

    await writeFile(request!.api.specPath, edited.replace(/^\s+operationId: .*\n/m, ""));
    await expect(mocks.reload(request!.api.id)).rejects.toThrow(SpecError);
    expect(
      (await send(mocks.urls[request!.api.id]!, request!, { headers: { prefer: `example=${changed!.name}Renamed` } }))
        .status,
    ).toBe(changed!.status);
    for (const api of others) expect(await listening(Number(new URL(mocks.urls[api.id]!).port))).toBe(true);
  });

  it("rejects an id it does not serve", async () => {
    const mocks = await start({ apis: apiIds.slice(0, 1) });
    await expect(mocks.reload("nope")).rejects.toThrow(/not served by these mocks/);
  });
});
