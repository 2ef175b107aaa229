import { prismOperations, type Violation } from "@contracts/prism";
import {
  type Api,
  apiKeyEnvOf,
  type Credentials,
  credentialsOf,
  defaultServerUrl,
  exampleCall,
  fillPath,
  loadSpec,
  type Operation,
  operationsOf,
  repoRelative,
  selectApis,
} from "@contracts/spec";
import { type VerifyCase, verifyCases } from "./cases.ts";
import { acceptedButRejected, type RawRequest, UsageError, validatingExchange } from "./exchange.ts";

export type { Violation } from "@contracts/prism";
export { UpstreamError, UsageError } from "./exchange.ts";
export {
  defaultProxyPorts,
  firstDefaultProxyPort,
  type Proxies,
  type ProxyOptions,
  ProxyStartError,
  type ProxyViolation,
  type RunningProxy,
  startProxies,
} from "./proxy.ts";

export interface VerifyOptions {
  /** The API id, as the registry lists it. */
  api: string;
  /** Base URL of the live API; the spec's first server (variables at their defaults) when absent. */
  upstream?: string;
  /** Also send the documented request examples and the boundary cases, with the key: they change the organisation. */
  write?: boolean;
  /** Path parameter values by name; each parameter not given takes the spec's example. */
  params?: Record<string, string>;
  /** The key sent with `write`; `<ID>_API_KEY` from the environment when absent. */
  apiKey?: string;
  /** The repository whose registry lists the APIs. */
  root?: string;
}

export interface CaseResult {
  method: string;
  /** The path sent, parameters filled in. */
  path: string;
  varied: string;
  status: number;
  violations: Violation[];
}

export interface VerifyReport {
  api: string;
  upstream: string;
  write: boolean;
  results: CaseResult[];
}

/** Replaces every occurrence of the key: whatever a provider echoes back, the key is never shown. */
export function redact(text: string, key: string | undefined): string {
  return key ? text.replaceAll(key, "<redacted>") : text;
}

/** Everything verify needs, checked before the first request goes out. */
async function prepare(options: VerifyOptions) {
  const [api] = (await selectApis([options.api], options.root)) as [Api];
  const document = await loadSpec(api);
  const specFile = repoRelative(api.specPath, api.root);
  const upstream = options.upstream ?? defaultServerUrl(document);
  if (!upstream) throw new UsageError(`${specFile} names no server: pass --upstream <url>.`);
  const write = options.write ?? false;
  const apiKey = options.apiKey ?? process.env[apiKeyEnvOf(api.id)];
  if (write && !apiKey)
    throw new UsageError(
      `--write sends requests with credentials: set ${apiKeyEnvOf(api.id)} to the key of a sandbox organisation.`,
    );
  const operations = operationsOf(document);
  const known = new Set(
    operations.flatMap((operation) => Object.keys(exampleCall(document, operation).pathParameters)),
  );
  const unknown = Object.keys(options.params ?? {}).filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new UsageError(
      `No path parameter ${unknown.join(", ")} in ${specFile}; its operations take: ${[...known].join(", ") || "none"}.`,
    );
  for (const operation of operations) {
    if (!credentialsOf(document, operation)) {
      throw new UsageError(
        `${specFile}: ${operation.id} needs no credentials or a scheme verify cannot send (HTTP bearer or an API key in a header).`,
      );
    }
  }
  return { api, document, upstream, write, apiKey };
}

/** The case as bytes on the wire: JSON body, and the key only when the case carries credentials. */
function requestOf(
  operation: Operation,
  path: string,
  verifyCase: VerifyCase,
  credentials: Credentials,
  apiKey: string | undefined,
): RawRequest {
  const headers: Record<string, string> = { accept: "application/json" };
  if (verifyCase.body !== undefined) headers["content-type"] = "application/json";
  if (verifyCase.credentials) headers[credentials.header] = `${credentials.prefix}${apiKey}`;
  const body = verifyCase.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(verifyCase.body));
  return { method: operation.method.toUpperCase(), target: path, headers, body };
}

/**
 * Sends the contract cases of one API to its live upstream and validates every answer against
 * the spec with Prism. Without `write` only requests without credentials go out; each must be
 * refused with a documented status and body.
 */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const { api, document, upstream, write, apiKey } = await prepare(options);
  const exchange = validatingExchange(api, await prismOperations(api, document), upstream);
  const results: CaseResult[] = [];
  for (const { operation, cases } of verifyCases(api, document, write)) {
    const credentials = credentialsOf(document, operation)!;
    const path = fillPath(operation.path, { ...exampleCall(document, operation).pathParameters, ...options.params });
    for (const verifyCase of cases) {
      const { response, requestViolations, responseViolations } = await exchange(
        requestOf(operation, path, verifyCase, credentials, apiKey),
      );
      const violations = [...acceptedButRejected(response.status, requestViolations), ...responseViolations];
      results.push({
        method: operation.method.toUpperCase(),
        path,
        varied: verifyCase.varied,
        status: response.status,
        violations: violations.map((violation) => ({ ...violation, rule: redact(violation.rule, apiKey) })),
      });
    }
  }
  return { api: api.id, upstream, write, results };
}

export const violationCount = (report: VerifyReport) =>
  report.results.reduce((sum, result) => sum + result.violations.length, 0);

/** The report as the CLI prints it: one line per case, one indented line per violation, then the summary. */
export function formatReport(report: VerifyReport): string {
  const lines = [
    `Verifying ${report.api} against ${report.upstream} (${report.write ? "with --write: examples and boundary cases, with the key" : "no credentials sent"})`,
    "",
  ];
  for (const result of report.results) {
    const verdict =
      result.violations.length === 0
        ? "ok"
        : `${result.violations.length} violation${result.violations.length === 1 ? "" : "s"}`;
    lines.push(`${result.method} ${result.path}  [${result.varied}]  -> ${result.status}  ${verdict}`);
    for (const violation of result.violations)
      lines.push(`    ${violation.side} ${violation.pointer || "/"}  ${violation.rule}`);
  }
  const broken = report.results.filter((result) => result.violations.length > 0).length;
  lines.push(
    "",
    `${report.api}: ${report.results.length} cases, ${report.results.length - broken} conform, ${broken} break the contract (${violationCount(report)} violations).`,
  );
  return lines.join("\n");
}
