#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { defaultHost, exitWith, parseCli, portFlagsOrExit, runUntilStopped, serveOptions } from "@contracts/cli";
import { defaultPorts, MockStartError } from "@contracts/mock";
import { listApis, SpecError, UnknownApiError } from "@contracts/spec";
import { defaultDocsPort, startDev } from "./index.ts";

const usage = `Usage: contracts-dev [api-id ...] [--port <id>=<port> ...] [--host <address>] [--dynamic] [--docs-port <port>]

Serves the mocks (as \`npm run mock\`) and the reference docs, and follows every save of a spec:
lint it, swap its mock in place, regenerate its client, rebuild its docs page. Ctrl-C stops.
  --port <id>=<port>  port of one API's mock (default: 4010, 4011, ... in registry order)
  --host <address>    address to bind (default ${defaultHost}; anything else exposes the mocks)
  --dynamic           generate response bodies from the schemas instead of the examples
  --docs-port <port>  port of the docs server (default ${defaultDocsPort})`;

// The repository this copy of the tool belongs to (its redocly.yaml, specs and clients).
const root = fileURLToPath(new URL("../../../", import.meta.url));

const { values, positionals } = parseCli(usage, {
  allowPositionals: true,
  options: {
    ...serveOptions(),
    dynamic: { type: "boolean", default: false },
    "docs-port": { type: "string", default: String(defaultDocsPort) },
  },
});
const ports = portFlagsOrExit(values.port, defaultPorts((await listApis(root)).map((api) => api.id)));
if (!/^\d+$/.test(values["docs-port"]))
  exitWith(`--docs-port ${values["docs-port"]}: expected a port number, e.g. --docs-port 4100`);

try {
  const running = await runUntilStopped("dev loop", () =>
    startDev({
      root,
      apis: positionals,
      ports,
      host: values.host,
      dynamic: values.dynamic,
      docsPort: Number(values["docs-port"]),
    }),
  );
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
    exitWith(`${error.message}\n${hint}Nothing was left running.`);
  }
  if (error instanceof SpecError || error instanceof UnknownApiError) exitWith(error.message);
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
    exitWith(
      `The docs port ${values["docs-port"]} is in use: pick another with --docs-port <port>. Nothing was left running.`,
    );
  throw error;
}
