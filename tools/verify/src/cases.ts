import { contractCases } from "@contracts/cases";
import { type Api, credentialsOf, type Operation, operationsOf, requestBodyOf } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";

/** One request verify sends: what it varies from the spec's example call, and whether it carries the key. */
export interface VerifyCase {
  /** e.g. `no credentials`, `example renameOrg`, `updates.org_display_name maxLength 30: 31 characters` */
  varied: string;
  credentials: boolean;
  /** The JSON body, or undefined for none. */
  body: unknown;
}

export interface OperationCases {
  operation: Operation;
  cases: VerifyCase[];
}

/**
 * The testkit's contract cases of each operation, in the order verify sends them. Without
 * `write` only those that carry no credentials, which cannot change anything; with `write` also
 * every documented request example and the request-body cases (boundaries, wrong types). Not
 * the undocumented methods (a live API may answer them any way it likes) nor the random valid
 * bodies (hundreds of writes that prove little more than the boundaries do).
 */
export function verifyCases(api: Api, document: OpenAPI3, write: boolean): OperationCases[] {
  const cases = contractCases(api, document, { randomBodies: 0 });
  return operationsOf(document).map((operation) => {
    const credentials = credentialsOf(document, operation)!;
    const own = cases.filter((kase) => kase.operationId === operation.id);
    const carriesKey = (headers: Record<string, string>) =>
      Object.keys(headers).some((name) => name.toLowerCase() === credentials.header.toLowerCase());
    const safe = own
      .filter((kase) => kase.group === "credentials" && !carriesKey(kase.request.headers))
      .map((kase) => ({ varied: kase.name, credentials: false, body: kase.request.body }));
    if (!write) return { operation, cases: safe };
    const documented = (requestBodyOf(document, operation)?.examples ?? []).map(({ name, value }) => ({
      varied: `example ${name}`,
      credentials: true,
      body: value,
    }));
    const bodies = own
      .filter((kase) => kase.group === "request body")
      .map((kase) => ({ varied: kase.name, credentials: true, body: kase.request.body }));
    return { operation, cases: [...safe, ...documented, ...bodies] };
  });
}
