#!/usr/bin/env node
import { defaultHost, parseCli, portFlagsOrExit, runUntilStopped, serveOptions } from "@contracts/cli";
import { listApis, SpecError, UnknownApiError } from "@contracts/spec";
import { assignments } from "./args.ts";
import type { ProxyViolation } from "./index.ts";
import { defaultProxyPorts } from "./proxy-defaults.ts";

const usage = `Usage: contracts-proxy [api-id ...] [--upstream <id>=<url> ...] [--port <id>=<port> ...] [--host <address>] [--root <dir>]

Serves a validating proxy for each API of redocly.yaml (all when none is named) until Ctrl-C:
each forwards to its upstream unchanged and prints one line per contract violation it sees.
  --upstream <id>=<url>  upstream of one API (default: the spec's first server)
  --port <id>=<port>     port of one API (default: 4110, 4111, ... in registry order)
  --host <address>       address to bind (default ${defaultHost})
  --root <dir>           the repository whose redocly.yaml lists the APIs (default: this one)`;

const { values, positionals } = parseCli(usage, {
  allowPositionals: true,
  options: {
    upstream: { type: "string", multiple: true, default: [] },
    ...serveOptions(),
    root: { type: "string" },
  },
});
const ports = portFlagsOrExit(values.port, defaultProxyPorts((await listApis(values.root)).map((api) => api.id)));
const upstreams = assignments("--upstream", values.upstream);
// Prism loads only after the flags parse: a usage error answers without that second of start-up.
const { ProxyStartError, startProxies, UsageError } = await import("./index.ts");

const time = () => new Date().toISOString().slice(11, 19);
function logViolation(violation: ProxyViolation): void {
  const { api, method, path, status, side, pointer, rule } = violation;
  console.log(
    `${time()} ${api.padEnd(14)} ${method.padEnd(6)} ${path} -> ${status}  ${side} ${pointer || "/"}  ${rule}`,
  );
}

try {
  const running = await runUntilStopped("proxies", () =>
    startProxies({
      apis: positionals,
      root: values.root,
      upstreams,
      ports,
      host: values.host,
      onViolation: logViolation,
      onUpstreamError: (api, error) =>
        console.log(`${time()} ${api.padEnd(14)} upstream unreachable, answered 502: ${error.message}`),
    }),
  );
  const width = Math.max(...running.proxies.map((proxy) => proxy.id.length), 3);
  console.log("Validating proxies ready (traffic passes through unchanged; one line per contract violation):\n");
  console.log(`${"API".padEnd(width)}  ${"Proxy".padEnd(22)} Upstream`);
  for (const proxy of running.proxies)
    console.log(`${proxy.id.padEnd(width)}  ${proxy.url.padEnd(22)} ${proxy.upstream}`);
  console.log("\nForwarding requests; Ctrl-C to stop.");
} catch (error) {
  if ([UsageError, ProxyStartError, UnknownApiError, SpecError].some((known) => error instanceof known)) {
    console.error(`${(error as Error).message} No proxy was left running.`);
    process.exit(2);
  }
  throw error;
}
