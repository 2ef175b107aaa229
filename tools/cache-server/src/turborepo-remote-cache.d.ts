// The package ships JavaScript only: the part of its main export this tool uses, typed by hand.
declare module "turborepo-remote-cache" {
  import type { Server } from "node:http";

  interface RemoteCacheApp {
    server: Server;
    listen(options: { host: string; port: number }): Promise<string>;
    close(): Promise<void>;
    addHook(
      name: "onResponse",
      hook: (request: { method: string; url: string }, reply: { statusCode: number }) => Promise<void>,
    ): void;
  }

  /** A Fastify app serving turbo's remote-cache API; `configOverrides` win over the environment. */
  export function createApp(options?: {
    logger?: boolean;
    configOverrides?: Record<string, string | boolean>;
  }): RemoteCacheApp;
}
