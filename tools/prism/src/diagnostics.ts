import { jsonPointer } from "@contracts/spec";
import type { IPrismDiagnostic } from "@stoplight/prism-core";
import { DiagnosticSeverity } from "@stoplight/types";

/** Which message a diagnostic is about. */
export type Side = "request" | "response";

/** What Prism found wrong with each side of an exchange. */
export interface Validations {
  input: IPrismDiagnostic[];
  output: IPrismDiagnostic[];
}

/** A diagnostic as one line: where, then Prism's words, e.g. `request.body.name must match pattern "^[a-z]+$"`. */
function describeDiagnostic(side: Side, diagnostic: IPrismDiagnostic): string {
  return `${[side, ...(diagnostic.path ?? [])].join(".")} ${diagnostic.message}`;
}

/** Every diagnostic of both sides as one line each, the request's first. */
export function describeValidations(validations: Validations): string[] {
  return [
    ...validations.input.map((diagnostic) => describeDiagnostic("request", diagnostic)),
    ...validations.output.map((diagnostic) => describeDiagnostic("response", diagnostic)),
  ];
}

/** The `sl-violations` header as Prism's own server writes it; undefined when there is nothing to report. */
export function violationsHeader(validations: Validations): string | undefined {
  const violations = [
    ...validations.input.map((diagnostic) => ({ side: "request" as const, diagnostic })),
    ...validations.output.map((diagnostic) => ({ side: "response" as const, diagnostic })),
  ].map(({ side, diagnostic: { path = [], severity, code, message } }) => ({
    location: [side, ...path],
    severity: DiagnosticSeverity[severity],
    code,
    message,
  }));
  if (violations.length === 0) return undefined;
  const value = JSON.stringify(violations);
  return value.length > 8000 ? `Too many violations! ${value.slice(0, 8000)}` : value;
}

/**
 * The reasons for a rejection with `status`, as `message (rule)`: Prism codes a failed security
 * check with the status it causes (401), so a 401 names only that, and a 400 only the schema rules.
 */
export function reasonsFor(status: number, diagnostics: IPrismDiagnostic[]): string[] {
  const isStatus = (code: IPrismDiagnostic["code"]) => /^\d{3}$/.test(String(code));
  const causing = diagnostics.filter(({ code }) => String(code) === String(status));
  const relevant = causing.length > 0 ? causing : diagnostics.filter(({ code }) => !isStatus(code));
  return relevant.map(({ message, code }) =>
    isStatus(code) || code === undefined ? message : `${message} (${String(code)})`,
  );
}

/** One way a request or a response breaks the spec, as Prism's validators found it. */
export interface Violation {
  side: Side;
  /** JSON pointer into Prism's view of the message: `/body/...`, `/headers/...`, `/statusCode`. */
  pointer: string;
  /** What the spec requires, in Prism's words. */
  rule: string;
}

/** Prism's diagnostics without a path still concern one part of the message; name it, so every violation has a pointer. */
const unplacedDiagnostics: [Side, RegExp, string][] = [
  ["request", /security/i, "/headers"],
  ["request", /route not found/i, "/url/path"],
  ["response", /status code/i, "/statusCode"],
  ["response", /media type/i, "/headers/content-type"],
];

function toViolation(side: Side, diagnostic: IPrismDiagnostic): Violation {
  const unplaced = unplacedDiagnostics.find(([where, pattern]) => where === side && pattern.test(diagnostic.message));
  const pointer = diagnostic.path?.length ? jsonPointer(...diagnostic.path) : (unplaced?.[2] ?? "");
  return { side, pointer, rule: diagnostic.message };
}

/** Errors and warnings (an undocumented error status is a warning to Prism) break the contract; hints do not. */
const breaksContract = (diagnostic: IPrismDiagnostic) => diagnostic.severity <= DiagnosticSeverity.Warning;

/** The diagnostics that break the contract, as violations of each side. */
export function contractViolations(validations: Validations): { request: Violation[]; response: Violation[] } {
  return {
    request: validations.input.filter(breaksContract).map((diagnostic) => toViolation("request", diagnostic)),
    response: validations.output.filter(breaksContract).map((diagnostic) => toViolation("response", diagnostic)),
  };
}
