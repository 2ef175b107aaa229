import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exampleCall, jsonPointer, listApis, loadSpec, operationsOf, resolveRef, type Operation } from "@contracts/registry";
import { startMocks, type MockRequest, type Mocks } from "@contracts/mock";
import { constraintCases } from "./constraints.ts";
import { specValidator } from "./validator.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Result {
  data?: unknown;
  error?: unknown;
  response: Response;
}
type OperationCall = (init: Record<string, unknown>) => Promise<Result>;
/** A generated `createClient`, seen from outside its types: the contract is the spec's. */
export type AnyCreateClient = (options?: { apiKey?: string | null; baseUrl?: string; fetch?: (request: Request) => Promise<Response>; maxRetries?: number }) => object;

/** The API key the contract tests use: distinctive, so a leak is easy to spot. */
const testKey = "contract-test-key-7f3a9c";

function responseExamples(document: OpenAPI3, operation: Operation) {
  return Object.entries(operation.object.responses ?? {}).flatMap(([status, responseOrRef]) => {
    const content = resolveRef(document, responseOrRef).content?.["application/json"];
    return Object.entries(content?.examples ?? {}).map(([name, example]) => ({
      status,
      name,
      value: resolveRef(document, example).value as Json,
      schemaPointer: `${operation.pointer}${jsonPointer("responses", status, "content", "application/json", "schema")}`,
    }));
  });
}

/** How the spec says the key travels, to check the client against. */
function expectedAuthHeader(document: OpenAPI3, operation: Operation): { header: string; value: string } {
  const [requirement] = operation.object.security ?? document.security ?? [];
  const scheme = resolveRef(document, document.components?.securitySchemes?.[Object.keys(requirement ?? {})[0] ?? ""]);
  if (scheme?.type === "http" && scheme.scheme.toLowerCase() === "bearer") return { header: "authorization", value: `Bearer ${testKey}` };
  if (scheme?.type === "apiKey" && scheme.in === "header") return { header: scheme.name.toLowerCase(), value: testKey };
  throw new Error(`No supported security scheme for ${operation.id}`);
}

/** A server that answers like a proxy in front of the API: an HTML 502, counting the requests. */
async function htmlBadGateway(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(502, { "content-type": "text/html" }).end("<html><body><h1>502 Bad Gateway</h1></body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A base URL where nothing listens: a free port, closed again. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const isSuccess = (status: string) => status.startsWith("2");

/**
 * The contract tests of one API, all derived from its spec: every documented response,
 * every request constraint, auth and client behaviour, through the generated client
 * against a real Prism mock of the spec.
 */
export async function describeContract(apiId: string, createClient: AnyCreateClient): Promise<void> {
  const api = (await listApis()).find((candidate) => candidate.id === apiId);
  if (!api) throw new Error(`"${apiId}" is not in the registry`);
  const document = await loadSpec(api);
  const validate = specValidator(document);
  let mocks: Mocks;
  const served: MockRequest[] = [];
  const url = () => mocks.urls[apiId]!;
  const call = (client: object, operation: Operation) => (client as Record<string, OperationCall>)[operation.id]!;

  beforeAll(async () => {
    mocks = await startMocks({ apis: [apiId], onRequest: (request) => served.push(request) });
  });
  afterAll(() => mocks?.stop());

  describe.each(operationsOf(document))(`${apiId} $id ($method $path)`, (operation) => {
    const example = exampleCall(document, operation);
    const path = example.pathParameters;
    const body = example.body as Json | undefined;
    const init = (extra: Record<string, unknown> = {}) => ({ params: { path }, ...(body !== undefined && { body }), ...extra });
    // One request, one answer (a documented 409 or 500 is not retried here): retries are
    // tested against their own servers in packages/client-core/test.
    const client = () => createClient({ apiKey: testKey, baseUrl: url(), maxRetries: 0 });

    describe("answers every documented response with its named examples", () => {
      it.each(responseExamples(document, operation))("$status $name", async (example) => {
        const result = await call(client(), operation)(init({ headers: { Prefer: `code=${example.status}, example=${example.name}` } }));
        expect(result.response.status).toBe(Number(example.status));
        const received = isSuccess(example.status) ? result.data : result.error;
        expect(isSuccess(example.status) ? result.error : result.data).toBeUndefined();
        expect(received).toEqual(example.value);
        expect(validate(example.schemaPointer, received)).toEqual([]);
      });
    });

    const requestSchema = `${operation.pointer}${jsonPointer("requestBody", "content", "application/json", "schema")}`;
    const requestContent = operation.object.requestBody && resolveRef(document, operation.object.requestBody).content["application/json"];
    const cases = body === undefined || !requestContent ? [] : constraintCases(document, requestSchema, resolveRef(document, requestContent).schema, body, validate);
    if (cases.length > 0) describe("enforces every request constraint on its boundaries", () => {
      it.each(cases)("$name is $expected", async ({ body: candidate, expected }) => {
        const result = await call(client(), operation)({ params: { path }, body: candidate });
        const status = result.response.status;
        if (expected === "accepted") expect(status, JSON.stringify(result.error)).toBeLessThan(300);
        else expect([400, 422]).toContain(status);
      });
    });

    describe("authenticates as the spec says", () => {
      const auth = expectedAuthHeader(document, operation);
      it(`sends ${auth.header}: ${auth.value.replace(testKey, "<key>")}`, async () => {
        const sent: Request[] = [];
        const recording = createClient({ apiKey: testKey, baseUrl: url(), fetch: (request) => (sent.push(request), fetch(request)) });
        const result = await call(recording, operation)(init());
        expect(sent[0]?.headers.get(auth.header)).toBe(auth.value);
        expect(result.response.status).toBeLessThan(300);
      });

      it("gets a typed 401 error without credentials", async () => {
        const result = await call(createClient({ apiKey: null, baseUrl: url() }), operation)(init());
        expect(result.response.status).toBe(401);
        const documented = responseExamples(document, operation).find((example) => example.status === "401");
        if (documented) expect(validate(documented.schemaPointer, result.error)).toEqual([]);
      });

      it("never shows the key in an error, a log line or the mock's request log", async () => {
        const logged = (["log", "info", "warn", "error", "debug"] as const).map((level) => vi.spyOn(console, level));
        try {
          const failure = await call(createClient({ apiKey: testKey, baseUrl: await closedPortUrl(), maxRetries: 0 }), operation)(init()).catch((error: unknown) => error);
          const rejected = await call(client(), operation)({ params: { path }, body: { notInTheSpec: true } });
          const shown = [String(failure), String((failure as Error).cause), JSON.stringify(rejected.error), JSON.stringify(served), ...logged.flatMap((spy) => spy.mock.calls.flat().map(String))];
          expect(shown.join("\n")).not.toContain(testKey);
        } finally {
          for (const spy of logged) spy.mockRestore();
        }
      });
    });

    describe("behaves as a client should", () => {
      // Only operations with path parameters get this case: no skipped placeholders elsewhere.
      if (Object.keys(path).length > 0) it("encodes path parameters so they cannot leave their segment", async () => {
        const hostile = Object.fromEntries(Object.keys(path).map((name) => [name, "../a b/c?d#e"]));
        const result = await call(client(), operation)({ params: { path: hostile }, ...(body !== undefined && { body }) });
        expect(result.response.status).toBeLessThan(300);
        expect(served.at(-1)?.path).toContain(encodeURIComponent("../a b/c?d#e"));
      });

      it("retries a proxy's HTML 502 twice, then gives its text as the error, without throwing", async () => {
        const proxy = await htmlBadGateway();
        try {
          const result = await call(createClient({ apiKey: testKey, baseUrl: proxy.url }), operation)(init());
          expect(result.response.status).toBe(502);
          expect(proxy.requests()).toBe(3);
          expect(result.data).toBeUndefined();
          expect(result.error).toContain("502 Bad Gateway");
        } finally {
          await proxy.close();
        }
      });

      it("retries a refused connection twice, then rejects the promise with the cause", async () => {
        let attempts = 0;
        const counting = (request: Request) => ((attempts += 1), fetch(request));
        const failure = call(createClient({ apiKey: testKey, baseUrl: await closedPortUrl(), fetch: counting }), operation)(init());
        await expect(failure).rejects.toThrow(TypeError);
        await expect(failure).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
        expect(attempts).toBe(3);
      });
    });
  });
}
