import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { defaultHost, ListenError, listen, serverGroup } from "@contracts/cli";
import { prismOperations, readBytes, type Violation } from "@contracts/prism";
import { type Api, defaultServerUrl, loadSpec, repoRelative, selectApis } from "@contracts/spec";
import {
  acceptedButRejected,
  type ExchangeFn,
  endToEndRawHeaders,
  UsageError,
  validatingExchange,
} from "./exchange.ts";

export { defaultProxyPorts, firstDefaultProxyPort } from "./proxy-defaults.ts";

export interface ProxyViolation extends Violation {
  api: string;
  method: string;
  path: string;
  status: number;
}

export interface ProxyOptions {
  /** API ids; every API of the registry when empty. */
  apis?: string[];
  /** Upstream base URL per API id; the spec's first server when absent. */
  upstreams?: Record<string, string>;
  /** Port per API id; an API without one gets a free port. */
  ports?: Record<string, number>;
  host?: string;
  /** Called once per violation, as soon as the exchange that shows it is over. */
  onViolation?: (violation: ProxyViolation) => void;
  /** The upstream could not be reached; the client got a 502. */
  onUpstreamError?: (api: string, error: Error) => void;
  root?: string;
}

export interface RunningProxy {
  id: string;
  url: string;
  upstream: string;
}

export interface Proxies {
  proxies: RunningProxy[];
  /** Proxy base URL per API id. */
  urls: Record<string, string>;
  /** Closes every server; safe to call more than once. */
  stop: () => Promise<void>;
}

function handler(api: string, exchange: ExchangeFn, options: ProxyOptions) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? "GET";
    const target = request.url ?? "/";
    try {
      const {
        response: upstream,
        requestViolations,
        responseViolations,
        specDefects,
      } = await exchange({ method, target, headers: request.headers, body: await readBytes(request) });
      response.writeHead(upstream.status, endToEndRawHeaders(upstream.rawHeaders)).end(upstream.body);
      const path = new URL(target, "http://placeholder").pathname;
      const accepted = acceptedButRejected(upstream.status, requestViolations);
      const violations = [
        ...(accepted.length > 0 ? accepted : requestViolations),
        ...responseViolations,
        ...specDefects,
      ];
      for (const violation of violations)
        options.onViolation?.({ api, method, path, status: upstream.status, ...violation });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      options.onUpstreamError?.(api, failure);
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`Contract proxy: ${failure.message}\n`);
    }
  };
}

/** A proxy that could not start, with the API and the cause; nothing is left running. */
export class ProxyStartError extends Error {
  constructor(api: Api, cause: string) {
    super(`Proxy of "${api.id}" (${repoRelative(api.specPath, api.root)}) could not start: ${cause}.`);
    this.name = "ProxyStartError";
  }
}

async function listenAs(api: Api, server: Server, port: number, host: string): Promise<string> {
  try {
    return await listen(server, port, host);
  } catch (error) {
    throw error instanceof ListenError ? new ProxyStartError(api, error.message) : error;
  }
}

/**
 * Starts one validating proxy per API, all in this process: each forwards to its upstream,
 * passes status, headers and body bytes through unchanged, and reports what breaks the spec.
 * Either every proxy starts, or none is left running.
 */
export async function startProxies(options: ProxyOptions = {}): Promise<Proxies> {
  const apis = await selectApis(options.apis, options.root);
  const unknown = Object.keys(options.upstreams ?? {}).filter((id) => !apis.some((api) => api.id === id));
  if (unknown.length > 0)
    throw new UsageError(
      `--upstream for ${unknown.join(", ")}, which is not among the proxied APIs (${apis.map((api) => api.id).join(", ")}).`,
    );
  const host = options.host ?? defaultHost;
  const servers = serverGroup();
  const { stop } = servers;
  try {
    const proxies: RunningProxy[] = [];
    for (const api of apis) {
      const document = await loadSpec(api);
      const upstream = options.upstreams?.[api.id] ?? defaultServerUrl(document);
      if (!upstream)
        throw new UsageError(
          `${repoRelative(api.specPath, api.root)} names no server: pass --upstream ${api.id}=<url>.`,
        );
      const exchange = validatingExchange(api, document, await prismOperations(api, document), upstream);
      const server = servers.add(createServer(handler(api.id, exchange, options)));
      proxies.push({ id: api.id, upstream, url: await listenAs(api, server, options.ports?.[api.id] ?? 0, host) });
    }
    return { proxies, urls: Object.fromEntries(proxies.map((proxy) => [proxy.id, proxy.url])), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
