import {
  type CaseGroup,
  type ContractCase,
  type CredentialValues,
  encodedRequest,
  unmatchablePatterns,
} from "@contracts/cases";
import { prismOperations, type Violation } from "@contracts/prism";
import {
  type Api,
  apiKeyEnvOf,
  credentialEnvOf,
  credentialsOptionOf,
  credentialText,
  defaultServerUrl,
  exampleCall,
  loadSpec,
  type Operation,
  operationsOf,
  placeNamer,
  repoRelative,
  responseForStatus,
  responsesOf,
  type SentScheme,
  selectApis,
} from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { verifyCases } from "./cases.ts";
import { acceptedButRejected, UsageError, validatingExchange } from "./exchange.ts";

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
  /** Also send the requests that carry credentials: every contract case. They change the organisation. */
  write?: boolean;
  /** Path parameter values by name; each parameter not given takes the spec's example. */
  params?: Record<string, string>;
  /** With `write`, an API whose clients take one key: the key; `<ID>_API_KEY` from the environment when absent. */
  apiKey?: string;
  /** With `write`, any other API: a credential per security scheme; each scheme's variable when absent (see `credentialEnvsOf`). */
  credentials?: CredentialValues;
  /** The repository whose registry lists the APIs. */
  root?: string;
}

export interface CaseResult {
  /** The operation the case is of, and the group of contract cases it is from. */
  operationId: string;
  group: CaseGroup;
  method: string;
  /** The path sent, parameters filled in (and the query string). */
  path: string;
  varied: string;
  status: number;
  /** The operation documents no answer for what the case asks (no 400 for a bad request, say): a gap in the spec. */
  undocumented: boolean;
  violations: Violation[];
  /** What the answer shows wrong with the spec itself (its own example breaking its schema): told, not held against the provider. */
  specDefects: Violation[];
}

/** What the cases reached of one operation. */
export interface OperationCoverage {
  operationId: string;
  method: string;
  path: string;
  /** The documented statuses (`200`, `4XX`, `default`) some answer fell under, and those none did. */
  reached: string[];
  missed: string[];
  /** Whether some answer was a 2xx, and whether the operation documents one at all. */
  success: boolean;
  documentsSuccess: boolean;
}

export interface VerifyReport {
  api: string;
  upstream: string;
  write: boolean;
  /**
   * What the cases could not derive as the spec says, each with its place (`file:line (#pointer)`):
   * the patterns fast-check cannot generate strings from, and how they were drawn instead.
   */
  notes: string[];
  results: CaseResult[];
  coverage: OperationCoverage[];
}

/** Replaces every occurrence of each secret: whatever a provider echoes back, no credential is ever shown. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter(Boolean).reduce((redacted, secret) => redacted.replaceAll(secret, "<redacted>"), text);
}

/** Every secret among the credentials, as sent too (HTTP basic's base64), for `redact`. */
function secretsOf(credentials: CredentialValues): string[] {
  return Object.values(credentials).flatMap((value) =>
    typeof value === "string" ? [value] : [value.password, credentialText({ prefix: "" }, value)],
  );
}

/**
 * Every value of the environment variables an API's credentials may come from (`<ID>_...`), as
 * sent too (HTTP basic's base64 of a user name and password pair): what the CLI keeps out of its output.
 */
export function environmentSecrets(apiId: string): string[] {
  const prefix = apiKeyEnvOf(apiId).replace(/API_KEY$/, "");
  // Not a user name: it is no secret, and replacing a short one would garble every line.
  const values = Object.entries(process.env).filter(
    ([name, value]) => name.startsWith(prefix) && !name.endsWith("_USERNAME") && value,
  );
  const pairs = values.flatMap(([name, password]) => {
    const username = name.endsWith("_PASSWORD") ? process.env[name.replace(/_PASSWORD$/, "_USERNAME")] : undefined;
    return username === undefined ? [] : [credentialText({ prefix: "" }, { username, password: password! })];
  });
  return [...values.map(([, value]) => value!), ...pairs];
}

/**
 * The environment variables that hold an API's credentials, as its client reads them: `<ID>_API_KEY`
 * for one key, else one per scheme (`<ID>_<SCHEME>`, HTTP basic's `_USERNAME` and `_PASSWORD`).
 */
export function credentialEnvsOf(apiId: string, document: OpenAPI3): { scheme: SentScheme; env: string[] }[] {
  const taken = credentialsOptionOf(document);
  if (taken.option === "none") return [];
  if (taken.option === "apiKey") return [{ scheme: taken.scheme, env: [apiKeyEnvOf(apiId)] }];
  return taken.schemes.map((scheme) => {
    const env = credentialEnvOf(apiId, scheme.schemeName);
    return { scheme, env: scheme.kind === "basic" ? [`${env}_USERNAME`, `${env}_PASSWORD`] : [env] };
  });
}

/** The credentials `--write` sends: the options', else the environment's (see `credentialEnvsOf`). */
function credentialsOf(apiId: string, document: OpenAPI3, options: VerifyOptions): CredentialValues {
  if (options.credentials) return options.credentials;
  const found = credentialEnvsOf(apiId, document).flatMap(({ scheme, env }): [string, CredentialValues[string]][] => {
    const [first, second] = env.map((name) => process.env[name]);
    if (scheme.kind === "basic") return first ? [[scheme.schemeName, { username: first, password: second ?? "" }]] : [];
    const value = options.apiKey ?? first;
    return value ? [[scheme.schemeName, value]] : [];
  });
  return Object.fromEntries(found);
}

/** Everything verify needs, checked before the first request goes out. */
async function prepare(options: VerifyOptions) {
  const [api] = (await selectApis([options.api], options.root)) as [Api];
  const document = await loadSpec(api);
  const specFile = repoRelative(api.specPath, api.root);
  const upstream = options.upstream ?? defaultServerUrl(document);
  if (!upstream) throw new UsageError(`${specFile} names no server: pass --upstream <url>.`);
  const write = options.write ?? false;
  const credentials = write ? credentialsOf(api.id, document, options) : {};
  const envs = credentialEnvsOf(api.id, document);
  if (write && envs.length > 0 && Object.keys(credentials).length === 0)
    throw new UsageError(
      `--write sends requests with credentials: set ${envs.map(({ env }) => env.join(" and ")).join(" or ")} to a sandbox organisation's.`,
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
  return { api, document, upstream, write, credentials };
}

/** What the answer to a case shows beyond Prism's violations: the verdict's status class, both ways. */
function verdictViolations(kase: ContractCase, status: number, requestViolations: Violation[]): Violation[] {
  const accepted = status >= 200 && status < 300;
  if (kase.verdict === "accepted" && status >= 400 && status < 500)
    return [{ side: "response", pointer: "/statusCode", rule: `refused (${status}) a request the spec accepts` }];
  if ((kase.verdict === "rejected" || kase.verdict === "unauthenticated") && accepted) {
    const reasons = acceptedButRejected(status, requestViolations);
    return reasons.length > 0
      ? reasons
      : [{ side: "request", pointer: "", rule: `accepted (${status}) although the spec rejects it: ${kase.name}` }];
  }
  return [];
}

const unmatchedStatus = /^Unable to match the returned status code/;

/** Each documented status some answer fell under, the rest, and whether a 2xx came back. */
function coverageOf(document: OpenAPI3, operation: Operation, results: CaseResult[]): OperationCoverage {
  const responses = responsesOf(document, operation);
  const reached = new Set(
    results.flatMap((result) => {
      const documented = responseForStatus(responses, result.status);
      return documented ? [documented.status] : [];
    }),
  );
  const statuses = responses.map(({ status }) => status);
  return {
    operationId: operation.id,
    method: operation.method.toUpperCase(),
    path: operation.path,
    reached: statuses.filter((status) => reached.has(status)),
    missed: statuses.filter((status) => !reached.has(status)),
    success: results.some((result) => result.status >= 200 && result.status < 300),
    documentsSuccess: statuses.some((status) => /^2|^default$/.test(status)) || statuses.length === 0,
  };
}

/**
 * Sends the contract cases of one API to its live upstream and validates every answer against
 * the spec with Prism, and against each case's verdict: a request the spec accepts that is refused
 * (4xx) is a finding, as is a request it rejects that is accepted (2xx). Without `write` only
 * requests without credentials that cannot change anything go out. The report ends with what the
 * cases reached of each operation.
 */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const { api, document, upstream, write, credentials } = await prepare(options);
  const exchange = validatingExchange(api, document, await prismOperations(api, document), upstream);
  const secrets = secretsOf(credentials);
  const results: CaseResult[] = [];
  const coverage: OperationCoverage[] = [];
  for (const { operation, cases } of verifyCases(document, write, credentials, options.params ?? {})) {
    const own: CaseResult[] = [];
    for (const kase of cases) {
      const { headers, body } = await encodedRequest(kase.request);
      const { response, requestViolations, responseViolations, specDefects } = await exchange({
        method: kase.request.method,
        target: kase.request.path,
        headers,
        body,
      });
      // Where the spec documents no answer for the case, an undocumented status is its gap, not the provider's fault.
      const judged = kase.documented
        ? responseViolations
        : responseViolations.filter((violation) => !unmatchedStatus.test(violation.rule));
      const violations = [...verdictViolations(kase, response.status, requestViolations), ...judged];
      own.push({
        operationId: operation.id,
        group: kase.group,
        method: kase.request.method,
        path: redact(kase.request.path, secrets),
        varied: kase.name,
        status: response.status,
        undocumented: !kase.documented && judged.length < responseViolations.length,
        violations: violations.map((violation) => ({ ...violation, rule: redact(violation.rule, secrets) })),
        specDefects: specDefects.map((defect) => ({ ...defect, rule: redact(defect.rule, secrets) })),
      });
    }
    results.push(...own);
    coverage.push(coverageOf(document, operation, own));
  }
  const whereIs = placeNamer(api);
  const notes = unmatchablePatterns(document).map(({ pointer, message }) => `${whereIs(pointer)}: ${message}`);
  return { api: api.id, upstream, write, notes, results, coverage };
}

/**
 * The spec's own defects the answers showed, one line per case (`METHOD path [case] -> status: the
 * spec's own example ... breaks its schema`): they do not fail the report, and are never left out of it.
 */
export function specDefectLines(report: VerifyReport): string[] {
  return report.results
    .filter((result) => result.specDefects.length > 0)
    .map(
      (result) =>
        `${result.method} ${result.path}  [${result.varied}]  -> ${result.status}: ${result.specDefects
          .map((defect) => `${defect.side} ${defect.pointer || "/"} ${defect.rule}`)
          .join("; ")}`,
    );
}

/** The operations `--write` fails: never answered 2xx, though the spec documents one. */
export const unreachedOperations = (report: VerifyReport) =>
  report.write ? report.coverage.filter((operation) => operation.documentsSuccess && !operation.success) : [];

export const violationCount = (report: VerifyReport) =>
  report.results.reduce((sum, result) => sum + result.violations.length, 0);

/** Whether the report passes: no violation, and with `--write` every operation reached a 2xx. */
export const reportPasses = (report: VerifyReport) =>
  violationCount(report) === 0 && unreachedOperations(report).length === 0;

/** An operation `--write` fails, in words. */
const neverSucceeded = (operation: OperationCoverage) =>
  `${operation.operationId} (${operation.method} ${operation.path}) never answered 2xx: nothing about its success was verified.`;

/** What makes the report fail, one line each: every case that broke the contract with its violations, every operation never answered 2xx. */
export function reportFindings(report: VerifyReport): string[] {
  return [
    ...report.results
      .filter((result) => result.violations.length > 0)
      .map(
        (result) =>
          `${result.method} ${result.path}  [${result.varied}]  -> ${result.status}: ${result.violations
            .map((violation) => `${violation.side} ${violation.pointer || "/"} ${violation.rule}`)
            .join("; ")}`,
      ),
    ...unreachedOperations(report).map(neverSucceeded),
  ];
}

/** The coverage lines: operations that answered 2xx, documented statuses reached, and each operation's. */
export function formatCoverage(report: VerifyReport): string {
  const { coverage } = report;
  const statuses = coverage.reduce((sum, operation) => sum + operation.reached.length + operation.missed.length, 0);
  const reached = coverage.reduce((sum, operation) => sum + operation.reached.length, 0);
  const succeeded = coverage.filter((operation) => operation.success).length;
  const width = Math.max(...coverage.map((operation) => `${operation.method} ${operation.path}`.length));
  return [
    `Coverage of ${report.api}: ${succeeded} of ${coverage.length} operations answered 2xx; ${reached} of ${statuses} documented statuses reached.`,
    ...coverage.map((operation) => {
      const place = `${operation.method} ${operation.path}`.padEnd(width);
      const success = operation.success
        ? "2xx"
        : !operation.documentsSuccess
          ? "no 2xx documented"
          : report.write
            ? "NO 2xx"
            : "no 2xx without --write";
      const missed = operation.missed.length > 0 ? `; not reached ${operation.missed.join(", ")}` : "";
      return `  ${place}  ${success}; reached ${operation.reached.join(", ") || "none"}${missed}`;
    }),
  ].join("\n");
}

/** The report as the CLI prints it: one line per case, one indented line per violation, the summary, then the coverage. */
export function formatReport(report: VerifyReport): string {
  const lines = [
    `Verifying ${report.api} against ${report.upstream} (${report.write ? "with --write: every case, with the credentials" : "no credentials sent"})`,
    ...report.notes.map((note) => `Note: ${note}`),
    "",
  ];
  for (const result of report.results) {
    const verdict =
      result.violations.length === 0
        ? "ok"
        : `${result.violations.length} violation${result.violations.length === 1 ? "" : "s"}`;
    const gap = result.undocumented ? " (undocumented: a gap in the spec)" : "";
    const defects = result.specDefects.length > 0 ? " (the spec's own defect shown)" : "";
    lines.push(`${result.method} ${result.path}  [${result.varied}]  -> ${result.status}${gap}${defects}  ${verdict}`);
    for (const violation of result.violations)
      lines.push(`    ${violation.side} ${violation.pointer || "/"}  ${violation.rule}`);
    for (const defect of result.specDefects)
      lines.push(`    spec's defect: ${defect.side} ${defect.pointer || "/"}  ${defect.rule}`);
  }
  const broken = report.results.filter((result) => result.violations.length > 0).length;
  const unreached = unreachedOperations(report);
  const defective = report.results.filter((result) => result.specDefects.length > 0).length;
  const defects =
    defective > 0
      ? ` ${defective} answer${defective === 1 ? "" : "s"} broke its schema only where the spec's own example does: the spec's defects, not the provider's.`
      : "";
  lines.push(
    "",
    `${report.api}: ${report.results.length} cases, ${report.results.length - broken} conform, ${broken} break the contract (${violationCount(report)} violations).${defects}`,
    ...unreached.map(neverSucceeded),
    "",
    formatCoverage(report),
  );
  return lines.join("\n");
}
