import {
  type CaseGroup,
  type ContractCase,
  contractCases,
  defaultCaseOptions,
  type RequestValues,
  responseProblems,
  sendCase,
  testCredentials,
} from "@contracts/cases";
import { type MockRequest, type Mocks, startMocks } from "@contracts/mock";
import {
  apiById,
  credentialsOptionOf,
  credentialText,
  isJson,
  loadSpec,
  methodNameOf,
  type Operation,
  operationsOf,
  parametersOf,
  repoRelative,
  responseForStatus,
  responsesOf,
  type SpecValidator,
  securityRequirementsOf,
  sentCredential,
  sentSchemesOf,
  specValidator,
  styleOf,
  templateSent,
  undocumentedHeader,
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
  credentials?: Record<string, unknown> | null;
  // Required, as for a client whose spec names no server: the tests always point at their mock.
  baseUrl: string;
  fetch?: (request: Request) => Promise<Response>;
  maxRetries?: number;
}) => object;

/** The API key the contract tests use: distinctive, so a leak is easy to spot. */
const testKey = defaultCaseOptions.apiKey;

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
  /** Whether it marks an answer the operation does not document (`x-contracts-undocumented`). */
  marksUndocumented: boolean;
}

/** What every concern's tests share for one operation. */
interface OperationContext {
  document: OpenAPI3;
  /** Response bodies against their schemas (writeOnly properties left out). */
  validate: SpecValidator;
  operation: Operation;
  cases: ContractCase[];
  /** A client of the mock holding every credential (or told to send none), with the options a test adds. */
  client: (options?: {
    fetch?: (request: Request) => Promise<Response>;
    maxRetries?: number;
    noCredentials?: true;
  }) => object;
  /** The mock's URL, once it is started. */
  url: () => string;
  /** The path of the last request the mock answered. */
  lastPath: () => string | undefined;
  marksUndocumented: boolean;
  /** Where the other mocks' statuses for the same cases are compared (see `disagreements`). */
  statuses: CaseStatuses;
  target: string;
}

/**
 * The status each mock gave each case sent over plain HTTP, by mock: the mocks must agree, not only
 * each with the spec. Each case is sent to each mock once; the test of whichever answers it second
 * compares (tests run shuffled), so a difference fails there, naming both statuses.
 */
type CaseStatuses = Map<ContractCase, Map<string, number>>;

export function disagreements(statuses: CaseStatuses, kase: ContractCase, target: string, status: number): string[] {
  const given = statuses.get(kase) ?? new Map<string, number>();
  statuses.set(kase, given.set(target, status));
  return [...given]
    .filter(([other, theirs]) => other !== target && theirs !== status)
    .map(([other, theirs]) => `the mocks disagree: ${status} from ${target}, ${theirs} from ${other}`);
}

const call = (client: object, operation: Operation) =>
  (client as Record<string, OperationCall>)[
    methodNameOf({ operationId: operation.object.operationId, method: operation.method, path: operation.path })
  ]!;

/**
 * A client call's options from the values a case's request is made of. A redirect is the answer under
 * test, never followed: where it leads is no contract of this spec, and may be off loopback (a
 * download's `Location` on the vendor's host).
 */
const callInit = ({ path, query, header, cookie, body }: RequestValues, extra: Record<string, unknown> = {}) => ({
  params: { path, query, header, cookie },
  ...(body !== undefined && { body: body.value }),
  redirect: "manual",
  ...extra,
});

/** Sends each case to the mock over plain HTTP and holds the answer to the spec. */
function itKeepsEachCase(context: OperationContext, cases: ContractCase[]): void {
  it.each(cases)("$name is $verdict", async (kase) => {
    const response = await sendCase(context.url(), kase);
    expect([
      ...responseProblems(context.document, kase, response, {
        validate: context.validate,
        marksUndocumented: context.marksUndocumented,
      }),
      ...disagreements(context.statuses, kase, context.target, response.status),
    ]).toEqual([]);
  });
}

/** The groups sent over plain HTTP, each with what its tests show. */
const rawGroups: [CaseGroup, string][] = [
  [
    "valid requests",
    "accepts valid requests: every parameter location, each security alternative, each request example",
  ],
  ["parameters", "enforces every parameter constraint on its boundaries"],
  ["request body", "enforces every request-body constraint on its boundaries, every wrong type and non-ASCII input"],
  ["random valid bodies", "accepts seeded random valid bodies with documented answers"],
  ["credentials", "refuses requests without the credentials the operation needs"],
  ["methods", "refuses undocumented methods with 405 and an Allow header"],
];

function describeCases(context: OperationContext): void {
  for (const [group, title] of rawGroups) {
    const cases = context.cases.filter((kase) => kase.group === group);
    if (cases.length > 0) describe(title, () => itKeepsEachCase(context, cases));
  }
}

/** A body as the client returns it, held to the documented media type: a Blob of the type, text, or the JSON. */
function expectReceived(received: unknown, answer: NonNullable<ContractCase["answer"]>): void {
  const { mediaType } = answer;
  if (mediaType === undefined) return;
  if (isJson(mediaType)) {
    if (answer.value !== undefined) expect(received).toEqual(answer.value);
  } else if (mediaType.startsWith("text/")) expect(typeof received).toBe("string");
  else if (answer.status < 300) {
    expect(received).toBeInstanceOf(Blob);
    expect((received as Blob).type).toBe(mediaType);
    expect((received as Blob).size).toBeGreaterThan(0);
  }
}

function describeResponses(context: OperationContext): void {
  const { operation, validate } = context;
  const documented = context.cases.filter((kase) => kase.group === "responses");
  if (documented.length === 0) return;
  const answers = documented.filter((kase) => kase.specDefect === undefined);
  describe("answers every documented status and named example through the client, typed by media type", () => {
    for (const kase of documented.filter((kase) => kase.specDefect !== undefined))
      it.skip(`${kase.name} (skipped, the spec's own defect: ${kase.specDefect})`);
    if (answers.length === 0) return;
    it.each(answers)("$name", async (kase) => {
      const answer = kase.answer!;
      const result = await call(
        context.client({ maxRetries: 0 }),
        operation,
      )(callInit(kase.values!, { headers: { prefer: kase.request.headers.prefer } }));
      expect(result.response.status).toBe(answer.status);
      // As openapi-fetch reads an answer: a 2xx body is `data`, any other (a redirect's too) `error`.
      const success = answer.status < 300;
      const received = success ? result.data : result.error;
      expect(success ? result.error : result.data).toBeUndefined();
      expectReceived(received, answer);
      const documented = responseForStatus(responsesOf(context.document, operation), answer.status);
      if (documented?.schema && answer.mediaType && isJson(answer.mediaType))
        expect(validate(documented.schemaPointer, received)).toEqual([]);
    });
  });
}

/** A 503 that asks for no wait: the client's retry rule decides alone, no clock involved. */
const unavailable = () => new Response(null, { status: 503, headers: { "retry-after-ms": "0" } });

function itRetriesAsTheSpecSays(context: OperationContext): void {
  const kase = context.cases.find((candidate) => candidate.group === "retries");
  if (!kase?.retry) return;
  it(`${kase.retry.retried ? "retries" : "does not retry"} a 503 by default: ${kase.retry.because}`, async () => {
    let attempts = 0;
    const client = context.client({
      fetch: (request) => {
        attempts += 1;
        return attempts === 1 ? Promise.resolve(unavailable()) : fetch(request);
      },
    });
    const result = await call(client, context.operation)(callInit(kase.values!));
    expect(attempts).toBe(kase.retry!.retried ? 2 : 1);
    if (!kase.retry!.retried) expect(result.response.status).toBe(503);
  });
}

/** Where each scheme of the operation's first requirement puts its credential, and what it holds. */
function expectedCredentials(document: OpenAPI3, operation: Operation) {
  const [requirement = []] = securityRequirementsOf(document, operation);
  const credentials = testCredentials(document, testKey);
  return sentSchemesOf(document)
    .filter(({ schemeName }) => requirement.includes(schemeName))
    .map((scheme) => ({ ...scheme, value: credentialText(scheme, credentials[scheme.schemeName]!) }));
}

function describeAuth(context: OperationContext): void {
  const { document, operation } = context;
  const expected = expectedCredentials(document, operation);
  const needsCredentials = context.cases.some((kase) => kase.group === "credentials");
  if (expected.length === 0 && !needsCredentials) return;
  describe("authenticates as the spec says", () => {
    if (expected.length > 0)
      it(`sends ${expected.map(({ in: place, name }) => `${place} ${name}`).join(" and ")} as its first security requirement says`, async () => {
        const sent: Request[] = [];
        const client = context.client({
          fetch: (request) => {
            sent.push(request);
            return fetch(request);
          },
        });
        const kase = context.cases.find((candidate) => candidate.group === "retries")!;
        await call(client, operation)(callInit(kase.values!));
        // Two schemes in one place (HTTP basic and a bearer token, both in Authorization) cannot both
        // travel, a contradiction of the spec's: one of them does.
        for (const scheme of expected) {
          const samePlace = expected.filter(
            (other) => other.in === scheme.in && other.name.toLowerCase() === scheme.name.toLowerCase(),
          );
          expect(
            samePlace.map((other) => other.value),
            scheme.schemeName,
          ).toContain(sentCredential(sent[0]!, scheme));
        }
      });

    if (needsCredentials) {
      const missing = context.cases.find((kase) => kase.group === "credentials")!;
      it(`gets ${missing.documented ? "the typed documented 401 error" : "a 401 the mock marks undocumented"} without credentials`, async () => {
        const kase = context.cases.find((candidate) => candidate.group === "retries")!;
        const result = await call(
          context.client({ noCredentials: true, maxRetries: 0 }),
          operation,
        )(callInit(kase.values!));
        expect(result.response.status).toBe(401);
        if (!missing.documented && context.marksUndocumented)
          expect(result.response.headers.get(undocumentedHeader)).toBe("401");
        const documented = responseForStatus(responsesOf(document, operation), 401);
        if (documented?.schema) expect(context.validate(documented.schemaPointer, result.error)).toEqual([]);
      });
    }
  });
}

/** Only operations with a string path parameter in the simple style get this case: no skipped placeholders elsewhere. */
function itEncodesPathParameters(context: OperationContext): void {
  const { document, operation } = context;
  const strings = parametersOf(document, operation).filter(
    ({ object }) =>
      object.in === "path" &&
      styleOf(object).style === "simple" &&
      [(object.schema as { type?: unknown } | undefined)?.type].flat().includes("string"),
  );
  if (strings.length === 0) return;
  const hostile = "../a b/c?d#e";
  it("encodes path parameters so they cannot leave their segment", async () => {
    const kase = context.cases.find((candidate) => candidate.group === "retries")!;
    const values = kase.values!;
    const path = { ...values.path, ...Object.fromEntries(strings.map(({ object }) => [object.name, hostile])) };
    const result = await call(context.client({ maxRetries: 0 }), operation)(callInit({ ...values, path }));
    // Routed to its operation (a 404 or 405 would mean the value left its segment); a format may refuse it.
    expect([404, 405]).not.toContain(result.response.status);
    expect(context.lastPath()).toContain(encodeURIComponent(hostile));
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
function prismTarget(apiId: string, root: string): Target {
  let mocks: Mocks | undefined;
  const served: MockRequest[] = [];
  return {
    name: "Prism mock",
    start: async () => {
      mocks = await startMocks({ root, apis: [apiId], onRequest: (request) => served.push(request) });
    },
    stop: async () => mocks?.stop(),
    url: () => mocks!.urls[apiId]!,
    lastPath: () => served.at(-1)?.path,
    expectHealthy: () => expectMockHealthy(served),
    marksUndocumented: true,
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
    marksUndocumented: false,
  };
}

/** A client package's `createHandlers` (of its `./msw` entry). */
export type MswHandlers = (options: { baseUrl: string }) => HttpHandler[];

/** The options a generated client takes for the test credentials: `apiKey`, `credentials` per scheme, or none. */
function credentialOptions(
  document: OpenAPI3,
  none: boolean,
): { apiKey?: string | null; credentials?: Record<string, unknown> | null } {
  const { option } = credentialsOptionOf(document);
  if (option === "apiKey") return { apiKey: none ? null : testKey };
  if (option === "credentials") return { credentials: none ? null : testCredentials(document, testKey) };
  return {};
}

export interface ContractOptions {
  /** The repository whose registry lists the API (default: this one). */
  root?: string;
  /** The package's MSW handlers (its `./msw` entry): the same tests run against them too. */
  createHandlers?: MswHandlers;
}

/** The operation a request of `operation` reaches: the first listed with its method and path as sent (see `templateSent`). */
export const answeringOperation = (operations: Operation[], operation: Operation) =>
  operations.find(
    (other) => other.method === operation.method && templateSent(other.path) === templateSent(operation.path),
  )!;

/**
 * The contract tests of one API, all derived from its spec (`contractCases`): for every operation,
 * its valid requests in every parameter location, every parameter and body constraint, the
 * credentials, and the undocumented methods over plain HTTP; every documented status and named
 * example, the retry rule, the credentials it sends and the path encoding through the generated
 * client; all against a real Prism mock of the spec and, given the package's `createHandlers`,
 * against its MSW handlers with the same cases and verdicts, which must also answer every case
 * sent over plain HTTP with the status the Prism mock gives. What every client shares (backoff, timeouts, the key kept
 * out of errors) is client-core's, tested there.
 */
export async function describeContract(
  apiId: string,
  createClient: AnyCreateClient,
  options: ContractOptions = {},
): Promise<void> {
  const api = await apiById(apiId, options.root);
  const document = await loadSpec(api);
  const operations = operationsOf(document);
  if (operations.length === 0) {
    // Nothing to call, and nothing for a mock to serve: the mock does not start on a spec without operations.
    const webhooks = Object.keys((document as { webhooks?: object }).webhooks ?? {});
    describe(`${apiId} contract`, () => {
      it.skip(
        `skipped: ${repoRelative(api.specPath, api.root)} documents no operation under \`paths\`${webhooks.length > 0 ? ` (only webhooks: ${webhooks.join(", ")}, what the API sends, which the client's parseWebhook checks)` : ""}, so there is no request to send and no mock to send it to`,
      );
    });
    return;
  }
  const validate = specValidator(document, "response");
  const cases = contractCases(document, { apiKey: testKey });
  const prism = prismTarget(apiId, api.root);
  const targets = [prism, ...(options.createHandlers ? [mswTarget(options.createHandlers)] : [])];
  const statuses: CaseStatuses = new Map();

  beforeAll(() => Promise.all(targets.map((target) => target.start())));
  afterAll(() => Promise.all(targets.map((target) => target.stop())));
  afterEach(() => {
    for (const target of targets) target.expectHealthy();
  });

  describe.each(targets)("$name:", (target) => {
    describe.each(operations)(`${apiId} $id ($method $path)`, (operation) => {
      const answering = answeringOperation(operations, operation);
      if (answering !== operation) {
        it.skip(
          `skipped: keyed apart from ${answering.method.toUpperCase()} ${answering.path} by a #fragment alone, which no request carries; the mocks answer that operation, tested there`,
        );
        return;
      }
      const context: OperationContext = {
        document,
        validate,
        operation,
        cases: cases.filter((kase) => kase.operationId === operation.id),
        client: ({ noCredentials, ...extra } = {}) =>
          createClient({ baseUrl: target.url(), ...credentialOptions(document, noCredentials === true), ...extra }),
        url: target.url,
        lastPath: target.lastPath,
        marksUndocumented: target.marksUndocumented,
        statuses,
        target: target.name,
      };
      describeCases(context);
      describeResponses(context);
      itRetriesAsTheSpecSays(context);
      describeAuth(context);
      itEncodesPathParameters(context);
    });
  });
}
