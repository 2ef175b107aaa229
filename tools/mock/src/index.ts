import { createServer, type Server } from "node:http";
import { defaultHost, ListenError, listen, numberedPorts, serverGroup } from "@contracts/cli";
import { createPrism, prismConfig } from "@contracts/prism";
import { type Api, repoRelative, SpecError, selectApis } from "@contracts/spec";
import { type Answered, answer, loadServedSpec, type MockOperation, type ServedSpec } from "./serve.ts";

export { undocumentedHeader } from "@contracts/spec";
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

/** An API of the selection that is not served, with why, as `Mock of "<id>" (<file>) could not start: <cause>`. */
export interface UnservedApi {
  id: string;
  reason: string;
}

export interface Mocks {
  mocks: RunningMock[];
  /** The APIs whose spec could not be loaded (invalid, or unusable by Prism); the others serve. */
  unserved: UnservedApi[];
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

const cannotStart = (api: Api, cause: string) =>
  `Mock of "${api.id}" (${repoRelative(api.specPath, api.root)}) could not start: ${cause}`;

/** No mock could serve (every spec failed to load, or a port was busy), with each API and cause; nothing is left running. */
export class MockStartError extends Error {
  /** The first API that could not start. */
  readonly api: string;
  constructor(failures: [{ api: Api; cause: string }, ...{ api: Api; cause: string }[]]) {
    super(failures.map(({ api, cause }) => cannotStart(api, cause)).join("\n"));
    this.name = "MockStartError";
    this.api = failures[0].api.id;
  }
}

export const defaultPorts = (apiIds: string[]) => numberedPorts(apiIds, firstDefaultPort);

/** One API's server: our HTTP front (see serve.ts) around a Prism instance, answering with the current spec. */
function apiServer(api: Api, spec: () => ServedSpec, options: MockOptions): Server {
  const config = prismConfig({ dynamic: options.dynamic ?? false });
  const prism = createPrism(api.id, config);
  const server = createServer((request, response) => {
    void answer(request, response, { spec: spec(), prism, config })
      .then((answered) => options.onRequest?.({ api: api.id, ...answered }))
      .catch((error: unknown) => console.error(`onRequest of the ${api.id} mock threw:`, error)); // a listener's bug must not end the process
  });
  // Node closes an idle keep-alive connection after 5 s, as a client may be reusing it: on a loaded
  // machine a test's next request then meets ECONNRESET. A mock keeps idle connections a minute.
  server.keepAliveTimeout = 60_000;
  return server;
}

async function listenAs(api: Api, server: Server, options: MockOptions): Promise<string> {
  try {
    return await listen(server, options.ports?.[api.id] ?? 0, options.host ?? defaultHost);
  } catch (error) {
    throw error instanceof ListenError ? new MockStartError([{ api, cause: error.message }]) : error;
  }
}

/** Each API's spec as its mock serves it, or why it cannot be served (a SpecError: refused by lint, or by Prism). */
async function loadEach(apis: Api[]) {
  const results = await Promise.all(
    apis.map((api) =>
      loadServedSpec(api).then(
        (served) => ({ api, ...served }),
        (error: unknown) => {
          if (!(error instanceof SpecError)) throw error;
          const problems = error.problems.map((problem) => `  ${problem}`).join("\n");
          return { api, cause: `its spec cannot be served; fix it and run again:\n${problems}` };
        },
      ),
    ),
  );
  return {
    loaded: results.flatMap((result) => ("served" in result ? [result] : [])),
    failed: results.flatMap((result) => ("cause" in result ? [result] : [])),
  };
}

/**
 * Starts a mock (Prism: request validation and security checks on) for each API, all in this
 * process. A spec that lint or generate would refuse is refused here too: that API is reported in
 * `unserved` and the others serve. Only when none can serve, or a port is busy, does it throw
 * MockStartError, with nothing left running.
 */
export async function startMocks(options: MockOptions = {}): Promise<Mocks> {
  const apis = await selectApis(options.apis, options.root);
  const servers = serverGroup();
  const { stop } = servers;
  try {
    const { loaded, failed } = await loadEach(apis);
    const [firstFailure, ...otherFailures] = failed;
    if (loaded.length === 0 && firstFailure) throw new MockStartError([firstFailure, ...otherFailures]);
    const unserved = failed.map(({ api, cause }) => ({ id: api.id, reason: cannotStart(api, cause) }));
    const current = new Map(loaded.map(({ api, served }) => [api.id, served]));
    // All servers listen at once; every attempt settles before a failure is thrown, so stop() closes them all.
    const listening = await Promise.allSettled(
      loaded.map(async ({ api, operations }): Promise<RunningMock> => {
        const server = servers.add(apiServer(api, () => current.get(api.id)!, options));
        return { id: api.id, url: await listenAs(api, server, options), operations };
      }),
    );
    const busy = listening.find((result) => result.status === "rejected");
    if (busy) throw busy.reason;
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
    return { mocks, unserved, urls: Object.fromEntries(mocks.map((mock) => [mock.id, mock.url])), stop, reload };
  } catch (error) {
    await stop();
    throw error;
  }
}
