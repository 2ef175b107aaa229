import type { Server } from "node:http";
import getPort from "get-port";

/** Where every server of the toolchain listens unless told otherwise: this machine only. */
export const defaultHost = "127.0.0.1";

/** One port per API in registry order, from `first` on (4010, 4011, ...): the defaults `--port` overrides. */
export function numberedPorts(apiIds: readonly string[], first: number): Record<string, number> {
  return Object.fromEntries(apiIds.map((id, index) => [id, first + index]));
}

/**
 * A port free now on `host`, for a server another process will open (a spawned CLI, Prism). Drawn at
 * random below Linux's ephemeral range (32768-60999): a port the kernel hands out, as get-port's own
 * does, can be taken by any outgoing connection before the server binds it (a busy CI run lost a mock
 * to that), and a random draw keeps concurrent tests from drawing the same one.
 */
export function freePort(host = defaultHost): Promise<number> {
  const draws = Array.from({ length: 64 }, () => 20000 + Math.floor(Math.random() * (32768 - 20000)));
  return getPort({ port: draws, host });
}

/** A server that could not listen; the message says why in a user's words (`port 4010 on 127.0.0.1 is already in use`). */
export class ListenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ListenError";
  }
}

/** Listens on `port` (0: a free one) at `host`; resolves with the server's base URL, or rejects with a ListenError. */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause =
      code === "EADDRINUSE"
        ? `port ${port} on ${host} is already in use`
        : code === "EADDRNOTAVAIL"
          ? `${host} is not an address of this machine`
          : error instanceof Error
            ? error.message
            : String(error);
    throw new ListenError(cause, { cause: error });
  }
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new ListenError(`unexpected listening address ${String(address)}`);
  return `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
}

/**
 * Servers started together and stopped together. `stop` closes every server added, cutting
 * the connections still open, and is safe to call more than once.
 */
export function serverGroup(): { add: (server: Server) => Server; stop: () => Promise<void> } {
  const servers: Server[] = [];
  let stopped: Promise<void> | undefined;
  const close = (server: Server) =>
    new Promise<void>((resolve, reject) => {
      if (!server.listening) return resolve();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return {
    add: (server) => {
      servers.push(server);
      return server;
    },
    stop: () => (stopped ??= Promise.all(servers.map(close)).then(() => undefined)),
  };
}
