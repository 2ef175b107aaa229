#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultHost, defaultPorts, MockStartError } from "@contracts/mock";
import { listApis, SpecError, UnknownApiError } from "@contracts/registry";
import { type Dev, defaultDocsPort, startDev } from "./index.ts";

const usage = `Usage: contracts-dev [api-id ...] [--port <id>=<port> ...] [--host <address>] [--dynamic] [--docs-port <port>]

Serves the mocks (as \`npm run mock\`) and the reference docs, and follows every save of a spec:
lint it, swap its mock in place, regenerate its client, rebuild its docs page. Ctrl-C stops.
  --port <id>=<port>  port of one API's mock (default: 4010, 4011, ... in registry order)
  --host <address>    address to bind (default ${defaultHost}; anything else exposes the mocks)
  --dynamic           generate response bodies from the schemas instead of the examples
  --docs-port <port>  port of the docs server (default ${defaultDocsPort})`;

// The repository this copy of the tool belongs to (its redocly.yaml, specs and clients).
const root = fileURLToPath(new URL("../../../", import.meta.url));

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        port: { type: "string", multiple: true, default: [] },
        host: { type: "string", default: defaultHost },
        dynamic: { type: "boolean", default: false },
        "docs-port": { type: "string", default: String(defaultDocsPort) },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}
const { values, positionals } = parseCommandLine();
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const ports = defaultPorts((await listApis(root)).map((api) => api.id));
for (const assignment of values.port) {
  const match = /^([^=]+)=(\d+)$/.exec(assignment);
  if (!match) fail(`--port ${assignment}: expected <api-id>=<port>, e.g. --port bland=4111`);
  const [, id, port] = match as unknown as [string, string, string];
  if (!(id in ports))
    fail(`--port ${assignment}: unknown API id "${id}"; the registry lists ${Object.keys(ports).join(", ")}`);
  ports[id] = Number(port);
}
if (!/^\d+$/.test(values["docs-port"]))
  fail(`--docs-port ${values["docs-port"]}: expected a port number, e.g. --docs-port 4100`);

// Handlers first, as the mocks do: a signal during start-up must stop what has started.
let running: Dev | undefined;
let stopping = false;
function shutdown(reason: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: stopping the dev loop.`);
  setTimeout(() => process.exit(0), 3000).unref();
  void (running?.stop() ?? Promise.resolve()).then(() => process.exit(0));
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => shutdown(signal));
// npm passes no signal on when it is killed: a changed parent means it is gone.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && shutdown("parent process gone"), 500).unref();

try {
  running = await startDev({
    root,
    apis: positionals,
    ports,
    host: values.host,
    dynamic: values.dynamic,
    docsPort: Number(values["docs-port"]),
  });
  console.log("Dev loop ready:\n");
  for (const mock of running.mocks.mocks) console.log(`  mock  ${mock.id.padEnd(14)} ${mock.url}`);
  console.log(`  docs  ${"index".padEnd(14)} ${running.docsUrl}/index.html`);
  console.log(
    `\nWatching redocly.yaml and the specs; save one to lint it and update its mock, client and docs. Ctrl-C to stop.`,
  );
} catch (error) {
  if (error instanceof MockStartError) {
    const hint = error.message.includes("already in use")
      ? `Stop what uses it, or pick another port: --port ${error.api}=<port>. `
      : "";
    fail(`${error.message}\n${hint}Nothing was left running.`);
  }
  if (error instanceof SpecError || error instanceof UnknownApiError) fail(error.message);
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
    fail(
      `The docs port ${values["docs-port"]} is in use: pick another with --docs-port <port>. Nothing was left running.`,
    );
  throw error;
}
