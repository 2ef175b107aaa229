/// <reference path="./turborepo-remote-cache.d.ts" />
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const defaultPort = 4020;
export const defaultHost = "127.0.0.1";

export interface CacheServerOptions {
  /** Bearer token every client must send (`TURBO_TOKEN`); a wrong one gets 401, so turbo rebuilds. */
  token: string;
  /** Directory the artifacts are kept in, created if missing. */
  storage: string;
  port?: number;
  host?: string;
  /** Called once per answered request, e.g. to log `PUT /v8/artifacts/<hash> -> 202`. */
  onRequest?: (request: CacheRequest) => void;
}

export interface CacheRequest {
  method: string;
  url: string;
  status: number;
}

export interface CacheServer {
  /** What clients set as `TURBO_API`. */
  url: string;
  storage: string;
  stop: () => Promise<void>;
}

export class CacheServerStartError extends Error {
  override name = "CacheServerStartError";
}

/**
 * Serves turbo's remote-cache HTTP API from `turborepo-remote-cache` (its `createApp`, the
 * package's main export) in this process, with filesystem storage. Resolves once it listens.
 */
export async function startCacheServer(options: CacheServerOptions): Promise<CacheServer> {
  const { token, port = defaultPort, host = defaultHost } = options;
  if (token.trim() === "")
    throw new CacheServerStartError("The cache server needs a token (TURBO_TOKEN); an empty one is refused.");
  const storage = path.resolve(options.storage);
  await mkdir(storage, { recursive: true });
  // Loaded here, not at the top: it pulls in every storage SDK (~0.7 s), which a CLI usage error should not wait for.
  const { createApp } = await import("turborepo-remote-cache");
  const app = createApp({
    logger: false,
    // These win over the process environment, which the package also reads.
    configOverrides: {
      STORAGE_PROVIDER: "local",
      STORAGE_PATH: storage,
      // Without it the package joins STORAGE_PATH onto the OS temp directory.
      STORAGE_PATH_USE_TMP_FOLDER: false,
      TURBO_TOKEN: token,
      AUTH_MODE: "static",
    },
  });
  if (options.onRequest) {
    const onRequest = options.onRequest;
    app.addHook("onResponse", async (request, reply) =>
      onRequest({ method: request.method, url: request.url, status: reply.statusCode }),
    );
  }
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    const cause = code === "EADDRINUSE" ? `port ${port} on ${host} is already in use` : (error as Error).message;
    throw new CacheServerStartError(`The turbo cache server could not start: ${cause}`, { cause: error });
  }
  // The port actually bound: 0 asks the system for a free one.
  const bound = (app.server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return { url: `http://${shownHost}:${bound}`, storage, stop: () => app.close() };
}
