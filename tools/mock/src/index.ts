import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { type Api, repoRelative, SpecError, selectApis } from "@contracts/spec";
import { createLogger } from "@stoplight/prism-core";
import { createInstance, type IHttpConfig } from "@stoplight/prism-http";
import { type Answered, answer, loadServedSpec, type MockOperation, type ServedSpec } from "./serve.ts";

export { type MockOperation, maxBodyBytes } from "./serve.ts";

export const defaultHost = "127.0.0.1";
/** The CLI's ports: 4010 for the registry's first API, 4011 for the second, and so on. */
export const firstDefaultPort = 4010;

/** One request a mock answered, as `onRequest` gets it. */
export interface MockRequest extends Answered {
  api: string;
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
  /**
   * Loads and lints the API's spec again and, only if it is usable, answers with it from now on,
   * on the same port (requests in flight finish with the old version; other APIs are untouched).
   * An unusable spec rejects with the registry's SpecError and the last good version keeps serving.
   */
  reload: (apiId: string) => Promise<void>;
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

/** The part of json-schema-faker's module used here. */
interface JsonSchemaFaker {
  JSONSchemaFaker: { option(options: Record<string, unknown>): void };
}

// --dynamic: Prism's generator (its own json-schema-faker, one per process) adds keys with random
// names to every object whose schema does not forbid them (`fillProperties`, on in `prism mock -d`).
// A generated body shows what the schema declares: every declared property and nothing else.
const prismRequire = createRequire(createRequire(import.meta.url).resolve("@stoplight/prism-http"));
(prismRequire("json-schema-faker") as JsonSchemaFaker).JSONSchemaFaker.option({ fillProperties: false });

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

/** One API's server: our HTTP front (see serve.ts) around a Prism instance, answering with the current spec. */
function apiServer(api: Api, spec: () => ServedSpec, options: MockOptions): Server {
  const config = mockConfig(options.dynamic ?? false);
  const prism = createInstance(config, { logger: createLogger(api.id, { level: "silent" }) });
  return createServer((request, response) => {
    void answer(request, response, spec(), prism, config)
      .then((answered) => options.onRequest?.({ api: api.id, ...answered }))
      .catch((error: unknown) => console.error(`onRequest of the ${api.id} mock threw:`, error)); // a listener's bug must not end the process
  });
}

async function listen(api: Api, server: Server, options: MockOptions): Promise<string> {
  const host = options.host ?? defaultHost;
  const port = options.ports?.[api.id] ?? 0;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new MockStartError(api, `port ${port} on ${host} is already in use`);
    if (code === "EADDRNOTAVAIL") throw new MockStartError(api, `${host} is not an address of this machine`);
    throw new MockStartError(api, error instanceof Error ? error.message : String(error));
  }
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new MockStartError(api, `unexpected listening address ${String(address)}`);
  return `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
}

function close(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/**
 * Starts a mock (Prism: request validation and security checks on) for each API, all in this
 * process. A spec that lint or generate would refuse is refused here too. Either every mock
 * starts, or none is left running.
 */
export async function startMocks(options: MockOptions = {}): Promise<Mocks> {
  const apis = await selectApis(options.apis, options.root);
  const servers: Server[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= Promise.all(servers.map(close)).then(() => undefined));
  try {
    const loaded = await Promise.all(
      apis.map(async (api) => {
        try {
          return { api, ...(await loadServedSpec(api)) };
        } catch (error) {
          if (error instanceof SpecError)
            throw new MockStartError(
              api,
              `its spec is invalid; fix it and run again:\n${error.problems.map((problem) => `  ${problem}`).join("\n")}`,
            );
          throw error;
        }
      }),
    );
    const current = new Map(loaded.map(({ api, served }) => [api.id, served]));
    // All servers listen at once; every attempt settles before a failure is thrown, so stop() closes them all.
    const listening = await Promise.allSettled(
      loaded.map(async ({ api, operations }): Promise<RunningMock> => {
        const server = apiServer(api, () => current.get(api.id)!, options);
        servers.push(server);
        return { id: api.id, url: await listen(api, server, options), operations };
      }),
    );
    const failed = listening.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const mocks = listening.map((result) => (result as PromiseFulfilledResult<RunningMock>).value);
    const reload = async (apiId: string) => {
      const mock = mocks.find((candidate) => candidate.id === apiId);
      const api = apis.find((candidate) => candidate.id === apiId);
      if (!mock || !api)
        throw new Error(
          `"${apiId}" is not served by these mocks (they serve ${mocks.map((served) => served.id).join(", ")})`,
        );
      const { served, operations } = await loadServedSpec(api);
      current.set(apiId, served);
      mock.operations = operations;
    };
    return { mocks, urls: Object.fromEntries(mocks.map((mock) => [mock.id, mock.url])), stop, reload };
  } catch (error) {
    await stop();
    throw error;
  }
}
