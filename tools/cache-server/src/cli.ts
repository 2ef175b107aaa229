#!/usr/bin/env node
import path from "node:path";
import { exitWith, parseCli, runUntilStopped } from "@contracts/cli";
import { repoRoot } from "@contracts/spec";
import {
  type CacheRequest,
  type CacheServer,
  CacheServerStartError,
  defaultHost,
  defaultPort,
  startCacheServer,
} from "./index.ts";

const defaultStorage = path.join(repoRoot, ".turbo-cache");
const usage = `Usage: contracts-cache-server [--port <port>] [--storage <dir>] [--token <secret>] [--host <address>]

Serves turbo's remote cache (turborepo-remote-cache, artifacts on disk) until Ctrl-C or SIGTERM.
Every clone that sets TURBO_API, TURBO_TOKEN and TURBO_TEAM to the same values shares it.
  --port <port>      port to listen on (default ${defaultPort})
  --storage <dir>    where the artifacts are kept (default ${path.relative(process.cwd(), defaultStorage) || "."}/ of the repository)
  --token <secret>   the token clients must send (default: $TURBO_TOKEN; one of the two is required)
  --host <address>   address to bind (default ${defaultHost}; 0.0.0.0 to serve other machines)`;

const { values } = parseCli(usage, {
  options: {
    port: { type: "string", default: String(defaultPort) },
    storage: { type: "string", default: defaultStorage },
    token: { type: "string" },
    host: { type: "string", default: defaultHost },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  exitWith(`--port ${values.port}: expected a port number, e.g. --port ${defaultPort}`, 2);
const token = values.token ?? process.env.TURBO_TOKEN ?? "";
if (token === "") {
  exitWith(
    "No token: the cache server only answers clients that send its token.\n" +
      "Pass --token <secret> or set TURBO_TOKEN, e.g.\n" +
      `  TURBO_TOKEN=$(node -p "crypto.randomUUID()") npm run cache-server`,
  );
}

function logRequest(request: CacheRequest): void {
  // Status checks come before every turbo run: noise next to the artifacts read and written.
  if (request.url.includes("/artifacts/status")) return;
  const time = new Date().toISOString().slice(11, 19);
  console.log(`${time} ${request.method.padEnd(5)} ${request.url} -> ${request.status}`);
}

let running: CacheServer;
try {
  running = await runUntilStopped("cache server", () =>
    startCacheServer({ port, host: values.host, storage: values.storage, token, onRequest: logRequest }),
  );
} catch (error) {
  if (error instanceof CacheServerStartError) exitWith(`${error.message}. Nothing was left running.`);
  throw error;
}
console.log(`turbo remote cache ready at ${running.url} (artifacts in ${running.storage})

Point a clone at it (the same three values on every laptop and CI job; the token as a secret):
  export TURBO_API=${running.url}
  export TURBO_TOKEN=<the token this server was started with>
  export TURBO_TEAM=contracts
  npm test      # tasks another clone already ran show "cache hit, replaying logs"
`);
if (values.host !== defaultHost)
  console.log(`Bound to ${values.host}: other machines use this machine's address in TURBO_API.\n`);
console.log("Serving the cache; Ctrl-C to stop.");
