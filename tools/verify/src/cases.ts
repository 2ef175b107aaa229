import { type CaseGroup, type ContractCase, type CredentialValues, contractCases } from "@contracts/cases";
import { type Operation, operationsOf, securityRequirementsOf } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";

export interface OperationCases {
  operation: Operation;
  cases: ContractCase[];
}

/**
 * The groups verify sends: what a live API can be asked. Not the documented answers (only a mock
 * takes `Prefer`), the retries (a live API fails on its own schedule), the undocumented methods (a
 * live API may answer them any way it likes), nor the random valid bodies (many writes that prove
 * little more than the boundaries do).
 */
const sentGroups: CaseGroup[] = ["valid requests", "parameters", "request body", "credentials"];

/** Methods that change nothing (RFC 9110's safe methods). */
const safeMethods = ["get", "head", "options"];

/**
 * The contract cases of each operation verify sends, in order. With `write`, all of them, with the
 * credentials given. Without, only requests that carry no credentials and cannot change anything:
 * the credential cases of an operation that needs some (it must refuse them), and every case of
 * one that needs none whose method is safe.
 */
export function verifyCases(
  document: OpenAPI3,
  write: boolean,
  credentials: CredentialValues,
  pathValues: Record<string, string>,
): OperationCases[] {
  const cases = contractCases(document, { credentials: write ? credentials : {}, pathValues, randomBodies: 0 });
  return operationsOf(document).map((operation) => {
    const own = cases.filter((kase) => kase.operationId === operation.id && sentGroups.includes(kase.group));
    if (write) return { operation, cases: own };
    const requirements = securityRequirementsOf(document, operation);
    const needsCredentials = requirements.length > 0 && !requirements.some((requirement) => requirement.length === 0);
    if (needsCredentials) return { operation, cases: own.filter((kase) => kase.group === "credentials") };
    return { operation, cases: safeMethods.includes(operation.method) ? own : [] };
  });
}
