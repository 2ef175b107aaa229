import { createLogger } from "@stoplight/prism-core";
import { getHttpOperationsFromSpec, type IHttpConfig } from "@stoplight/prism-http";
import { createServer } from "@stoplight/prism-http-server";
import type { IHttpOperation } from "@stoplight/types";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { repoRelative, selectApis, type Api } from "@contracts/registry";

type PrismServer = ReturnType<typeof createServer>;

export const defaultHost = "127.0.0.1";
/** The CLI's ports: 4010 for the registry's first API, 4011 for the second, and so on. */
export const firstDefaultPort = 4010;

export interface MockRequest {
  api: string;
  method: string;
  path: string;
  status: number;
  /** What Prism found wrong with the request (or its own response), e.g. `request.body must ...`. */
  violations: string[];
}

export interface MockOptions {
  /** API ids; every API of the registry when empty. */
  apis?: string[];
  /** Port per API id; an API without one gets a free port. */
  ports?: Record<string, number>;
  host?: string;
  /** Generate response bodies from the schemas instead of answering with the examples. */
  dynamic?: boolean;
  /** Called once per request served, after Prism has answered. */
  onRequest?: (request: MockRequest) => void;
  /** The repository whose registry lists the APIs. */
  root?: string;
}

export interface MockOperation {
  method: string;
  path: string;
  /** The path with its parameters filled from the spec's examples, ready for curl. */
  examplePath: string;
}

export interface RunningMock {
  id: string;
  url: string;
  operations: MockOperation[];
}

export interface Mocks {
  mocks: RunningMock[];
  /** Base URL per API id. */
  urls: Record<string, string>;
  /** Closes every server; safe to call more than once. */
  stop: () => Promise<void>;
}

/** A mock that could not start, with the API and the cause; nothing is left running. */
export class MockStartError extends Error {
  readonly api: string;
  constructor(api: Api, cause: string) {
    super(`Mock of "${api.id}" (${repoRelative(api.specPath, api.root)}) could not start: ${cause}`);
    this.name = "MockStartError";
    this.api = api.id;
  }
}

export function defaultPorts(apiIds: string[]): Record<string, number> {
  return Object.fromEntries(apiIds.map((id, index) => [id, firstDefaultPort + index]));
}

function examplePath(operation: IHttpOperation): string {
  return (operation.request?.path ?? []).reduce((path, parameter) => {
    const example = parameter.examples?.[0];
    const value = example && "value" in example ? String(example.value) : parameter.name;
    return path.replace(`{${parameter.name}}`, encodeURIComponent(value));
  }, operation.path);
}

async function loadOperations(api: Api): Promise<IHttpOperation[]> {
  const operations = await getHttpOperationsFromSpec(api.specPath).catch((error: unknown) => {
    throw new MockStartError(api, `Prism cannot load the spec: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (operations.length === 0) throw new MockStartError(api, "the spec has no operations");
  return operations;
}

function mockConfig(dynamic: boolean): IHttpConfig {
  return {
    isProxy: false,
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    mock: { dynamic },
  };
}

/**
 * Reports every request the server answers. prism-http-server offers no hook for this, so the
 * server's Prism instance is wrapped: its handler looks `request` up on each call.
 */
function reportRequests(server: PrismServer, api: string, onRequest: (request: MockRequest) => void): void {
  const prism = server.prism as { request: PrismServer["prism"]["request"] };
  const request = prism.request;
  prism.request = (input, operations, config) =>
    pipe(
      request(input, operations, config),
      TE.bimap(
        (error) => {
          const status = (error as { status?: number }).status ?? 500;
          onRequest({ api, method: input.method.toUpperCase(), path: input.url.path, status, violations: [error.message] });
          return error;
        },
        (response) => {
          const violations = [
            ...response.validations.input.map((violation) => `request${violation.path?.length ? `.${violation.path.join(".")}` : ""} ${violation.message}`),
            ...response.validations.output.map((violation) => `response${violation.path?.length ? `.${violation.path.join(".")}` : ""} ${violation.message}`),
          ];
          onRequest({ api, method: input.method.toUpperCase(), path: input.url.path, status: response.output.statusCode, violations });
          return response;
        },
      ),
    );
}

async function listen(api: Api, operations: IHttpOperation[], options: MockOptions): Promise<{ server: PrismServer; url: string }> {
  const host = options.host ?? defaultHost;
  const port = options.ports?.[api.id] ?? 0;
  const server = createServer(operations, {
    cors: true,
    config: mockConfig(options.dynamic ?? false),
    components: { logger: createLogger(api.id, { level: "silent" }) },
  });
  try {
    const url = await server.listen(port, host);
    return { server, url };
  } catch (error) {
    const message = String(error instanceof Error ? error.message : error);
    if (message.includes("EADDRINUSE")) throw new MockStartError(api, `port ${port} on ${host} is already in use`);
    if (message.includes("EADDRNOTAVAIL")) throw new MockStartError(api, `${host} is not an address of this machine`);
    throw new MockStartError(api, message);
  }
}

/** Resolves once the server answers HTTP at all (any status): the mock is then usable. */
async function answers(api: Api, url: string): Promise<void> {
  const response = await fetch(url, { method: "OPTIONS", signal: AbortSignal.timeout(5000) }).catch((error: unknown) => {
    throw new MockStartError(api, `it does not answer at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  await response.body?.cancel();
}

/**
 * Starts a Prism mock (request validation and security checks on) for each API, all in
 * this process. Either every mock starts and answers, or none is left running.
 */
export async function startMocks(options: MockOptions = {}): Promise<Mocks> {
  const apis = await selectApis(options.apis, options.root);
  const servers: PrismServer[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= Promise.all(servers.map((server) => server.close())).then(() => undefined));
  try {
    const loaded = await Promise.all(apis.map(async (api) => ({ api, operations: await loadOperations(api) })));
    const mocks: RunningMock[] = [];
    for (const { api, operations } of loaded) {
      const { server, url } = await listen(api, operations, options);
      servers.push(server);
      await answers(api, url);
      if (options.onRequest) reportRequests(server, api.id, options.onRequest);
      mocks.push({
        id: api.id,
        url,
        operations: operations.map((operation) => ({ method: operation.method.toUpperCase(), path: operation.path, examplePath: examplePath(operation) })),
      });
    }
    return { mocks, urls: Object.fromEntries(mocks.map((mock) => [mock.id, mock.url])), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
