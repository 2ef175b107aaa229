#!/usr/bin/env node
import { defaultHost, exitWith, parseCli, portFlagsOrExit, runUntilStopped, serveOptions } from "@contracts/cli";
import { listApis, UnknownApiError } from "@contracts/spec";
import {
  defaultPorts,
  type MockRequest,
  MockStartError,
  type RunningMock,
  startMocks,
  type UnservedApi,
} from "./index.ts";

const usage = `Usage: contracts-mock [api-id ...] [--port <id>=<port> ...] [--host <address>] [--dynamic] [--list] [--root <dir>]

Serves a Prism mock of each API of redocly.yaml (all when none is named), with request
validation and security checks on, until Ctrl-C or SIGTERM.
  --port <id>=<port>  port of one API (default: 4010, 4011, ... in registry order)
  --host <address>    address to bind (default ${defaultHost}; anything else exposes the mocks)
  --dynamic           generate response bodies from the schemas instead of the examples
  --list              list every operation of each API, with a path to call (default: one line per API)
  --root <dir>        the repository whose redocly.yaml lists the APIs (default: this one)`;

const { values, positionals } = parseCli(usage, {
  allowPositionals: true,
  options: {
    ...serveOptions(),
    dynamic: { type: "boolean", default: false },
    list: { type: "boolean", default: false },
    root: { type: "string" },
  },
});
const ports = portFlagsOrExit(values.port, defaultPorts((await listApis(values.root)).map((api) => api.id)));

/** One row per API (its URL and how many operations it serves), or with `--list` one per operation, with a path to call. */
function table(mocks: RunningMock[], list: boolean): string {
  const rows = list
    ? mocks.flatMap((mock) =>
        mock.operations.map((operation, index) => [
          index === 0 ? mock.id : "",
          index === 0 ? mock.url : "",
          `${operation.method.padEnd(6)} ${operation.examplePath}`,
        ]),
      )
    : mocks.map((mock) => [mock.id, mock.url, count(mock.operations.length)]);
  const all = [["API", "URL", "Operations"], ...rows];
  const widths = [0, 1].map((column) => Math.max(...all.map((row) => row[column]!.length)));
  return all
    .map((row) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell)).join("  "))
    .join("\n");
}

const count = (operations: number) => operations.toLocaleString("en-US");

/**
 * What the mocks hold in memory: the resident memory of this process, which serves them all (one
 * heap: no figure per API), and how to see every operation.
 */
function footer(mocks: RunningMock[], list: boolean): string {
  const operations = mocks.reduce((sum, mock) => sum + mock.operations.length, 0);
  const rss = Math.round(process.memoryUsage.rss() / 2 ** 20);
  const apis = `${mocks.length} ${mocks.length === 1 ? "API" : "APIs"}, ${count(operations)} ${operations === 1 ? "operation" : "operations"}`;
  const memory = `one process, ${count(rss)} MiB resident (shared by every mock: no figure per API)`;
  return `\n${apis}; ${memory}.${list ? "" : "\nEvery operation with a path to call: --list."}`;
}

/** The APIs that do not serve, each with its file, the place and the fix, under the table. */
function unservedNote(unserved: UnservedApi[]): string {
  return `\nNot served (the others are):\n${unserved.map((api) => api.reason.replace(/^/gm, "  ")).join("\n")}`;
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
  const gap = request.undocumented ? " (undocumented)" : "";
  console.log(
    `${time} ${request.api.padEnd(14)} ${request.method.padEnd(6)} ${request.path} -> ${request.status}${gap}${verdict}`,
  );
}

try {
  const running = await runUntilStopped("mocks", () =>
    startMocks({
      apis: positionals,
      root: values.root,
      ports,
      host: values.host,
      dynamic: values.dynamic,
      onRequest: logRequest,
    }),
  );
  console.log(
    `Prism mocks ready (${values.dynamic ? "dynamic bodies" : "example bodies"}; request validation and security checks on):\n`,
  );
  console.log(table(running.mocks, values.list));
  console.log(footer(running.mocks, values.list));
  if (running.unserved.length > 0) console.log(unservedNote(running.unserved));
  if (values.host !== defaultHost) console.log(`\nBound to ${values.host}: reachable from other machines.`);
  console.log("\nServing requests; Ctrl-C to stop.");
} catch (error) {
  if (error instanceof MockStartError) {
    const hint = error.message.includes("already in use")
      ? `Stop what uses it, or pick another port: --port ${error.api}=<port>. `
      : "";
    exitWith(`${error.message}\n${hint}No mock was left running.`);
  }
  if (error instanceof UnknownApiError) exitWith(error.message);
  throw error;
}
