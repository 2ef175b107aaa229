#!/usr/bin/env node
import { parseCli } from "@contracts/cli";
import { SpecError, UnknownApiError } from "@contracts/spec";
import { assignments } from "./args.ts";

const usage = `Usage: contracts-verify <api-id> [--upstream <url>] [--write] [--param <name>=<value> ...] [--root <dir>]

Sends the contract cases of one API of redocly.yaml to the live API and checks every answer
against the spec with Prism's validators.
  --upstream <url>        base URL of the API (default: the spec's first server)
  --param <name>=<value>  a path parameter (default: the spec's example)
  --root <dir>            the repository whose redocly.yaml lists the APIs (default: this one)
  --write                 send every case, with the credentials from <ID>_API_KEY (an API whose
                          clients take one key) or <ID>_<SCHEME> per scheme (HTTP basic:
                          <ID>_<SCHEME>_USERNAME and _PASSWORD). They CHANGE the organisation: use
                          a sandbox organisation only. Without --write no request carries credentials.

Ends with the coverage: the operations that answered 2xx and the documented statuses reached.
Exit codes: 0 every case conforms (and with --write every operation answered 2xx), 1 a violation
was found or an operation never answered 2xx, 2 nothing could be verified.`;

const { values, positionals } = parseCli(usage, {
  allowPositionals: true,
  options: {
    upstream: { type: "string" },
    write: { type: "boolean", default: false },
    param: { type: "string", multiple: true, default: [] },
    root: { type: "string" },
  },
});
if (positionals.length !== 1) {
  console.error(`Name exactly one API id.\n\n${usage}`);
  process.exit(2);
}
const [api] = positionals as [string];
const params = assignments("--param", values.param);
// Prism loads only after the flags parse: a usage error answers without that second of start-up.
const { environmentSecrets, formatReport, redact, reportPasses, UpstreamError, UsageError, verify } = await import(
  "./index.ts"
);

// Whatever goes wrong, no credential is ever printed: every line passes through here.
const secrets = environmentSecrets(api);
const print = (stream: NodeJS.WriteStream, text: string) => stream.write(`${redact(text, secrets)}\n`);

try {
  const report = await verify({
    api,
    upstream: values.upstream,
    write: values.write,
    params,
    root: values.root,
  });
  print(process.stdout, formatReport(report));
  process.exitCode = reportPasses(report) ? 0 : 1;
} catch (error) {
  const expected = [UsageError, UpstreamError, UnknownApiError, SpecError].some((known) => error instanceof known);
  print(
    process.stderr,
    expected ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error),
  );
  process.exit(2);
}
