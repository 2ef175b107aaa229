import { createServer, type Server } from "node:http";
import { defaultHost, ListenError, listen, numberedPorts, serverGroup } from "@contracts/cli";
import { createPrism, prismConfig } from "@contracts/prism";
import { type Api, repoRelative, SpecError, selectApis } from "@contracts/spec";
import { type Answered, answer, loadServedSpec, type MockOperation, type ServedSpec } from "./serve.ts";

export { type MockOperation, maxBodyBytes } from "./serve.ts";

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

export const defaultPorts = (apiIds: string[]) => numberedPorts(apiIds, firstDefaultPort);

/** One API's server: our HTTP front (see serve.ts) around a Prism instance, answering with the current spec. */
function apiServer(api: Api, spec: () => ServedSpec, options: MockOptions): Server {
  const config = prismConfig({ dynamic: options.dynamic ?? false });
  const prism = createPrism(api.id, config);
  return createServer((request, response) => {
    void answer(request, response, { spec: spec(), prism, config })
      .then((answered) => options.onRequest?.({ api: api.id, ...answered }))
      .catch((error: unknown) => console.error(`onRequest of the ${api.id} mock threw:`, error)); // a listener's bug must not end the process
  });
}

async function listenAs(api: Api, server: Server, options: MockOptions): Promise<string> {
  try {
    return await listen(server, options.ports?.[api.id] ?? 0, options.host ?? defaultHost);
  } catch (error) {
    throw error instanceof ListenError ? new MockStartError(api, error.message) : error;
  }
}

/**
 * Starts a mock (Prism: request validation and security checks on) for each API, all in this
 * process. A spec that lint or generate would refuse is refused here too. Either every mock
 * starts, or none is left running.
 */
export async function startMocks(options: MockOptions = {}): Promise<Mocks> {
  const apis = await selectApis(options.apis, options.root);
  const servers = serverGroup();
  const { stop } = servers;
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
        const server = servers.add(apiServer(api, () => current.get(api.id)!, options));
        return { id: api.id, url: await listenAs(api, server, options), operations };
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
