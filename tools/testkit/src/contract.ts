import { type ContractCase, contractCases, defaultCaseOptions, responseProblems, sendCase } from "@contracts/cases";
import { type MockRequest, type Mocks, startMocks } from "@contracts/mock";
import {
  apiById,
  credentialsOf,
  exampleCall,
  type Json,
  loadSpec,
  type Operation,
  operationsOf,
  responsesOf,
  type SpecValidator,
  specValidator,
} from "@contracts/spec";
import type { HttpHandler } from "msw";
import { setupServer } from "msw/node";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

interface Result {
  data?: unknown;
  error?: unknown;
  response: Response;
}
type OperationCall = (init: Record<string, unknown>) => Promise<Result>;
/** A generated `createClient`, seen from outside its types: the contract is the spec's. */
export type AnyCreateClient = (options: {
  apiKey?: string | null;
  // Required, as for a client whose spec names no server: the tests always point at their mock.
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  maxRetries?: number;
}) => object;

/** The API key the contract tests use: distinctive, so a leak is easy to spot. */
const testKey = defaultCaseOptions.apiKey;

const isSuccess = (status: string) => status.startsWith("2");

/** A mock of the API the same tests run against: the Prism mock, or the client package's MSW handlers. */
interface Target {
  name: string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Its base URL, once it is started. */
  url: () => string;
  /** The path of the last request it answered. */
  lastPath: () => string | undefined;
  /** Fails the test when the mock itself failed on a request since the last call. */
  expectHealthy: () => void;
}

/** What every concern's tests share for one operation. */
interface OperationContext {
  document: OpenAPI3;
  validate: SpecValidator;
  operation: Operation;
  cases: ContractCase[];
  createClient: AnyCreateClient;
  /** The mock's URL, once it is started. */
  url: () => string;
  /** The path of the last request the mock answered. */
  lastPath: () => string | undefined;
  path: Record<string, string>;
  body: Json | undefined;
}

const call = (client: object, operation: Operation) => (client as Record<string, OperationCall>)[operation.id]!;
const exampleInit = ({ path, body }: OperationContext, extra: Record<string, unknown> = {}) => ({
  params: { path },
  ...(body !== undefined && { body }),
  ...extra,
});
// One request, one answer (a documented 409 or 500 is not retried here): retries, timeouts and
// the error family are client-core's, tested once in packages/client-core/test.
const testClient = (context: OperationContext) =>
  context.createClient({ apiKey: testKey, baseUrl: context.url(), maxRetries: 0 });

/** Sends each generated case to the mock and holds the answer to the spec. */
function itKeepsEachCase(context: OperationContext, cases: ContractCase[]): void {
  it.each(cases)("$name is $verdict", async (kase) => {
    const response = await sendCase(context.url(), kase);
    expect(responseProblems(context.document, kase, response, context.validate)).toEqual([]);
  });
}

function describeResponses(context: OperationContext): void {
  const { operation, validate } = context;
  const examples = responsesOf(context.document, operation).flatMap((response) =>
    response.examples.map((example) => ({ ...example, ...response })),
  );
  describe("answers every documented response with its named examples", () => {
    it.each(examples)("$status $name", async (example) => {
      const result = await call(
        testClient(context),
        operation,
      )(exampleInit(context, { headers: { Prefer: `code=${example.status}, example=${example.name}` } }));
      expect(result.response.status).toBe(Number(example.status));
      const received = isSuccess(example.status) ? result.data : result.error;
      expect(isSuccess(example.status) ? result.error : result.data).toBeUndefined();
      expect(received).toEqual(example.value);
      expect(validate(example.schemaPointer, received)).toEqual([]);
    });
  });
}

function describeRequestConstraints(context: OperationContext): void {
  const { cases } = context;
  const constraints = cases.filter((kase) => kase.group === "request body");
  if (constraints.length > 0)
    describe("enforces every request constraint on its boundaries, every wrong type and non-ASCII input", () => {
      itKeepsEachCase(context, constraints);
    });
  const random = cases.filter((kase) => kase.group === "random valid bodies");
  if (random.length > 0)
    describe(`accepts ${random.length} seeded random valid bodies with documented answers`, () =>
      itKeepsEachCase(context, random));
  const methods = cases.filter((kase) => kase.group === "methods");
  if (methods.length > 0)
    describe("refuses undocumented methods with 405 and an Allow header", () => itKeepsEachCase(context, methods));
}

function describeAuth(context: OperationContext): void {
  const { operation } = context;
  describe("authenticates as the spec says", () => {
    const credentials = credentialsOf(context.document, operation)!;
    const header = credentials.header.toLowerCase();
    it(`sends ${header}: ${credentials.prefix}<key>`, async () => {
      const sent: Request[] = [];
      const recording = context.createClient({
        apiKey: testKey,
        baseUrl: context.url(),
        fetch: (request) => {
          sent.push(request);
          return fetch(request);
        },
      });
      const result = await call(recording, operation)(exampleInit(context));
      expect(sent[0]?.headers.get(header)).toBe(`${credentials.prefix}${testKey}`);
      expect(result.response.status).toBeLessThan(300);
    });

    it("gets a typed 401 error without credentials", async () => {
      const result = await call(
        context.createClient({ apiKey: null, baseUrl: context.url() }),
        operation,
      )(exampleInit(context));
      expect(result.response.status).toBe(401);
      const documented = responsesOf(context.document, operation).find((response) => response.status === "401");
      if (documented?.schema) expect(context.validate(documented.schemaPointer, result.error)).toEqual([]);
    });

    itKeepsEachCase(
      context,
      context.cases.filter((kase) => kase.group === "credentials"),
    );
  });
}

/** Only operations with path parameters get this case: no skipped placeholders elsewhere. */
function itEncodesPathParameters(context: OperationContext): void {
  const { operation, path, body } = context;
  if (Object.keys(path).length === 0) return;
  it("encodes path parameters so they cannot leave their segment", async () => {
    const hostile = Object.fromEntries(Object.keys(path).map((name) => [name, "../a b/c?d#e"]));
    const result = await call(
      testClient(context),
      operation,
    )({ params: { path: hostile }, ...(body !== undefined && { body }) });
    expect(result.response.status).toBeLessThan(300);
    expect(context.lastPath()).toContain(encodeURIComponent("../a b/c?d#e"));
  });
}

/**
 * Fails when the mock itself failed on a request served since the last call (it answers 500 and
 * keeps serving, so only its record tells), naming the error; forgets those requests either way.
 * Run after each test, so the test that sent the request is the one that fails.
 */
export function expectMockHealthy(served: MockRequest[]): void {
  const failures = served
    .splice(0)
    .flatMap((request) =>
      request.internalError ? [`${request.method} ${request.path}: ${request.internalError}`] : [],
    );
  // expect.fail rather than toEqual([]): its message would cut the error short.
  if (failures.length > 0) expect.fail(`the mock failed internally:\n${failures.join("\n")}`);
}

/** The Prism mock of the API (see tools/mock), started for the tests and stopped after them. */
function prismTarget(apiId: string): Target {
  let mocks: Mocks | undefined;
  const served: MockRequest[] = [];
  return {
    name: "Prism mock",
    start: async () => {
      mocks = await startMocks({ apis: [apiId], onRequest: (request) => served.push(request) });
    },
    stop: async () => mocks?.stop(),
    url: () => mocks!.urls[apiId]!,
    lastPath: () => served.at(-1)?.path,
    expectHealthy: () => expectMockHealthy(served),
  };
}

/** The base URL the MSW handlers serve in the contract tests: a host no request could reach. */
const mswBaseUrl = "http://msw.contract.test";

/** The client package's MSW handlers (its `./msw` entry) in this process, for a base URL of their own. */
function mswTarget(createHandlers: MswHandlers): Target {
  const server = setupServer(...createHandlers({ baseUrl: mswBaseUrl }));
  const paths: string[] = [];
  const failures: string[] = [];
  server.events.on("request:start", ({ request }) => {
    const url = new URL(request.url);
    if (url.origin === mswBaseUrl) paths.push(url.pathname);
  });
  server.events.on("unhandledException", ({ request, error }) => {
    failures.push(`${request.method} ${request.url}: ${error.stack ?? error.message}`);
  });
  return {
    name: "MSW handlers",
    // The Prism mock's requests (loopback) pass through.
    start: async () => server.listen({ onUnhandledFrame: "bypass" }),
    stop: async () => server.close(),
    url: () => mswBaseUrl,
    lastPath: () => paths.at(-1),
    expectHealthy: () => {
      const found = failures.splice(0);
      if (found.length > 0) expect.fail(`the handlers failed internally:\n${found.join("\n")}`);
    },
  };
}

/** A client package's `createHandlers` (of its `./msw` entry). */
export type MswHandlers = (options: { baseUrl: string }) => HttpHandler[];

/**
 * The contract tests of one API, all derived from its spec: every documented response,
 * every request constraint, the auth scheme and the path parameters, through the generated
 * client (and, for the generated cases, plain HTTP) against a real Prism mock of the spec and,
 * given the package's `createHandlers`, against its MSW handlers with the same cases and verdicts;
 * the handlers must also answer every case with the status the Prism mock gives. What every client
 * shares (retries, timeouts, the key kept out of errors) is client-core's, tested there.
 */
export async function describeContract(
  apiId: string,
  createClient: AnyCreateClient,
  mocks?: { createHandlers: MswHandlers },
): Promise<void> {
  const api = await apiById(apiId);
  const document = await loadSpec(api);
  const validate = specValidator(document);
  const cases = contractCases(api, document, { apiKey: testKey });
  const prism = prismTarget(apiId);
  const targets = [prism, ...(mocks ? [mswTarget(mocks.createHandlers)] : [])];

  beforeAll(() => Promise.all(targets.map((target) => target.start())));
  afterAll(() => Promise.all(targets.map((target) => target.stop())));
  afterEach(() => {
    for (const target of targets) target.expectHealthy();
  });

  describe.each(targets)("$name:", (target) => {
    describe.each(operationsOf(document))(`${apiId} $id ($method $path)`, (operation) => {
      const example = exampleCall(document, operation);
      const context: OperationContext = {
        document,
        validate,
        operation,
        cases: cases.filter((kase) => kase.operationId === operation.id),
        createClient,
        url: target.url,
        lastPath: target.lastPath,
        path: example.pathParameters,
        body: example.body as Json | undefined,
      };
      describeResponses(context);
      describeRequestConstraints(context);
      describeAuth(context);
      itEncodesPathParameters(context);
      if (target !== prism) itAnswersAsPrism(context, prism);
    });
  });
}

/** Every case gets the status the Prism mock gives it: the two mocks agree, not only each with the spec. */
function itAnswersAsPrism(context: OperationContext, prism: Target): void {
  it(`answers each of the ${context.cases.length} cases with the Prism mock's status`, async () => {
    const differences: string[] = [];
    for (const kase of context.cases) {
      const [ours, theirs] = await Promise.all([sendCase(context.url(), kase), sendCase(prism.url(), kase)]);
      if (ours.status !== theirs.status)
        differences.push(
          `${kase.name}: ${ours.status} here, ${theirs.status} from Prism: ${JSON.stringify(ours.body)}`,
        );
    }
    expect(differences).toEqual([]);
  });
}
