import {
  apiKeyEnvOf,
  credentialHeaderOf,
  defaultServerUrl,
  exampleCall,
  loadSpec,
  operationsOf,
  repoRelative,
  selectApis,
} from "@contracts/registry";
import { safeCases, writeCases, type VerifyCase } from "./cases.ts";
import { acceptedButRejected, prismOperations, UsageError, validatingExchange, type Violation } from "./exchange.ts";

export { UpstreamError, UsageError, type Violation } from "./exchange.ts";
export { defaultProxyHost, defaultProxyPorts, firstDefaultProxyPort, ProxyStartError, startProxies, type Proxies, type ProxyOptions, type ProxyViolation, type RunningProxy } from "./proxy.ts";

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

const redactor = (secret: string | undefined) => (text: string) => (secret ? text.replaceAll(secret, "<redacted>") : text);

/**
 * Sends the contract cases of one API to its live upstream and validates every answer against
 * the spec with Prism. Without `write` only requests without credentials go out; each must be
 * refused with a documented status and body.
 */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const [api] = await selectApis([options.api], options.root);
  const document = await loadSpec(api!);
  const specFile = repoRelative(api!.specPath, api!.root);
  const upstream = options.upstream ?? defaultServerUrl(document);
  if (!upstream) throw new UsageError(`${specFile} names no server: pass --upstream <url>.`);
  const write = options.write ?? false;
  const apiKey = options.apiKey ?? process.env[apiKeyEnvOf(api!.id)];
  if (write && !apiKey) {
    throw new UsageError(`--write sends requests with credentials: set ${apiKeyEnvOf(api!.id)} to the key of a sandbox organisation.`);
  }
  const operations = operationsOf(document);
  const known = new Set(operations.flatMap((operation) => Object.keys(exampleCall(document, operation).pathParameters)));
  const unknown = Object.keys(options.params ?? {}).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UsageError(`No path parameter ${unknown.join(", ")} in ${specFile}; its operations take: ${[...known].join(", ") || "none"}.`);
  }

  const exchange = validatingExchange(api!, await prismOperations(api!), upstream);
  const redact = redactor(apiKey);
  const results: CaseResult[] = [];
  for (const operation of operations) {
    const credential = credentialHeaderOf(document, operation);
    if (write && !credential) throw new UsageError(`${specFile}: ${operation.id} uses a security scheme verify cannot send (HTTP bearer or an API key in a header).`);
    const parameters = { ...exampleCall(document, operation).pathParameters, ...options.params };
    const path = operation.path.replaceAll(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(parameters[name] ?? name));
    // An operation that needs no credentials has no request that is safe to send.
    const cases: VerifyCase[] = [...(credential ? safeCases(document, operation) : []), ...(write ? writeCases(document, operation) : [])];
    for (const { varied, credentials, body } of cases) {
      const bytes = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string> = { accept: "application/json" };
      if (body !== undefined) headers["content-type"] = "application/json";
      if (credentials && credential) headers[credential.header] = `${credential.prefix}${apiKey}`;
      const { response, requestViolations, responseViolations } = await exchange({ method: operation.method.toUpperCase(), target: path, headers, body: bytes });
      const violations = [...acceptedButRejected(response.status, requestViolations), ...responseViolations];
      results.push({
        method: operation.method.toUpperCase(),
        path,
        varied,
        status: response.status,
        violations: violations.map((violation) => ({ ...violation, rule: redact(violation.rule) })),
      });
    }
  }
  return { api: api!.id, upstream, write, results };
}

export const violationCount = (report: VerifyReport) => report.results.reduce((sum, result) => sum + result.violations.length, 0);

/** The report as the CLI prints it: one line per case, one indented line per violation, then the summary. */
export function formatReport(report: VerifyReport): string {
  const lines = [`Verifying ${report.api} against ${report.upstream} (${report.write ? "with --write: examples and boundary cases, with the key" : "no credentials sent"})`, ""];
  for (const result of report.results) {
    const verdict = result.violations.length === 0 ? "ok" : `${result.violations.length} violation${result.violations.length === 1 ? "" : "s"}`;
    lines.push(`${result.method} ${result.path}  [${result.varied}]  -> ${result.status}  ${verdict}`);
    for (const violation of result.violations) lines.push(`    ${violation.side} ${violation.pointer || "/"}  ${violation.rule}`);
  }
  const broken = report.results.filter((result) => result.violations.length > 0).length;
  lines.push(
    "",
    `${report.api}: ${report.results.length} cases, ${report.results.length - broken} conform, ${broken} break the contract (${violationCount(report)} violations).`,
  );
  return lines.join("\n");
}
