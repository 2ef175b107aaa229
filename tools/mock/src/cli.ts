#!/usr/bin/env node
import { parseArgs } from "node:util";
import { listApis, UnknownApiError } from "@contracts/registry";
import {
  defaultHost,
  defaultPorts,
  type MockRequest,
  MockStartError,
  type Mocks,
  type RunningMock,
  startMocks,
} from "./index.ts";
import { watchLaunchers } from "./launchers.ts";

const usage = `Usage: contracts-mock [api-id ...] [--port <id>=<port> ...] [--host <address>] [--dynamic]

Serves a Prism mock of each API of redocly.yaml (all when none is named), with request
validation and security checks on, until Ctrl-C or SIGTERM.
  --port <id>=<port>  port of one API (default: 4010, 4011, ... in registry order)
  --host <address>    address to bind (default ${defaultHost}; anything else exposes the mocks)
  --dynamic           generate response bodies from the schemas instead of the examples`;

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

const ports = defaultPorts((await listApis()).map((api) => api.id));
for (const assignment of values.port) {
  const match = /^([^=]+)=(\d+)$/.exec(assignment);
  if (!match) fail(`--port ${assignment}: expected <api-id>=<port>, e.g. --port bland=4111`);
  const [, id, port] = match as unknown as [string, string, string];
  if (!(id in ports))
    fail(`--port ${assignment}: unknown API id "${id}"; the registry lists ${Object.keys(ports).join(", ")}`);
  ports[id] = Number(port);
}

function table(mocks: RunningMock[]): string {
  const rows = mocks.flatMap((mock) =>
    mock.operations.map((operation, index) => [
      index === 0 ? mock.id : "",
      index === 0 ? mock.url : "",
      `${operation.method.padEnd(6)} ${operation.examplePath}`,
    ]),
  );
  const all = [["API", "URL", "Operations"], ...rows];
  const widths = [0, 1].map((column) => Math.max(...all.map((row) => row[column]!.length)));
  return all
    .map((row) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell)).join("  "))
    .join("\n");
}

function logRequest(request: MockRequest): void {
  const time = new Date().toISOString().slice(11, 19);
  if (request.internalError) {
    console.error(
      `${time} ${request.api.padEnd(14)} ${request.method.padEnd(6)} ${request.path} -> 500  the mock failed on this request (answered 500, still serving):\n${request.internalError}`,
    );
    return;
  }
  const verdict = request.status < 400 ? "" : request.violations.length > 0 ? `  ${request.violations.join("; ")}` : "";
  console.log(
    `${time} ${request.api.padEnd(14)} ${request.method.padEnd(6)} ${request.path} -> ${request.status}${verdict}`,
  );
}

// Handlers first: a signal that arrives while the mocks start must stop them too. Everything
// runs in this one process, so exiting it closes every mock even if closing takes too long.
let running: Mocks | undefined;
let stopping = false;
function shutdown(reason: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: stopping the mocks.`);
  setTimeout(() => process.exit(0), 3000).unref();
  void (running?.stop() ?? Promise.resolve()).then(() => process.exit(0));
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => shutdown(signal));
// A launcher that dies without passing a signal on (npm killed, even the outer npm of
// `npm start`) must not leave the mocks orphaned and holding their ports.
watchLaunchers(shutdown);

try {
  running = await startMocks({
    apis: positionals,
    ports,
    host: values.host,
    dynamic: values.dynamic,
    onRequest: logRequest,
  });
  console.log(
    `Prism mocks ready (${values.dynamic ? "dynamic bodies" : "example bodies"}; request validation and security checks on):\n`,
  );
  console.log(table(running.mocks));
  if (values.host !== defaultHost) console.log(`\nBound to ${values.host}: reachable from other machines.`);
  console.log("\nServing requests; Ctrl-C to stop.");
} catch (error) {
  if (error instanceof MockStartError) {
    const hint = error.message.includes("already in use")
      ? `Stop what uses it, or pick another port: --port ${error.api}=<port>. `
      : "";
    fail(`${error.message}\n${hint}No mock was left running.`);
  }
  if (error instanceof UnknownApiError) fail(error.message);
  throw error;
}
