import {
  type Api,
  credentialsOf,
  exampleCall,
  httpMethods,
  type Json,
  jsonMediaType,
  type Operation,
  operationsOf,
  requestBodyOf,
  requestSchemaOf,
  requestSchemaPointer,
  responseForStatus,
  responsesOf,
  type SpecValidator,
  specValidator,
} from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { sampleValues } from "./arbitrary.ts";
import { constraintCases } from "./constraints.ts";

/** What the spec says the server must do with a request. */
export type Verdict = "accepted" | "rejected" | "unauthenticated" | "method not allowed";

export interface CaseRequest {
  method: string;
  /** The path with the example path parameters filled in, encoded. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body; absent sends none (`null` sends the JSON `null`). */
  body?: Json;
}

export interface ContractCase {
  /** The operation the request is made of. */
  operationId: string;
  group: "request body" | "random valid bodies" | "credentials" | "methods";
  name: string;
  request: CaseRequest;
  verdict: Verdict;
  /** For "method not allowed": the methods the `Allow` header must name. */
  allow?: string[];
}

export interface ContractCaseOptions {
  /** The key sent where a case does not test credentials. */
  apiKey?: string;
  /** Seeded random valid bodies per operation. */
  randomBodies?: number;
  seed?: number;
}

export const defaultCaseOptions = { apiKey: "contract-test-key-7f3a9c", randomBodies: 200, seed: 20_251_123 } as const;

/** Bodies of the wrong JSON type at the root: no object at all. */
const wrongRoots: Json[] = [null, 0, false, []];

/** Methods a client might try on a documented path: not HEAD and OPTIONS (HTTP's own, for GET and CORS), nor TRACE (fetch refuses to send it). */
const probedMethods = httpMethods.filter((method) => !["head", "options", "trace"].includes(method));

function bodyCases(
  document: OpenAPI3,
  operation: Operation,
  example: Json,
  validate: SpecValidator,
  options: Required<ContractCaseOptions>,
) {
  // The schema's own place, `$ref`s on the way followed: a validator over the whole document needs it.
  const schemaPointer = requestBodyOf(document, operation)?.schemaPointer ?? requestSchemaPointer(operation);
  const verdictOf = (body: Json): Verdict => (validate(schemaPointer, body).length === 0 ? "accepted" : "rejected");
  const constraints = constraintCases(document, operation, example, validate).map(({ name, body, expected }) => ({
    name,
    body,
    verdict: expected as Verdict,
  }));
  const roots = wrongRoots.map((body) => ({
    name: `body ${JSON.stringify(body)} as the whole body`,
    body,
    verdict: verdictOf(body),
  }));
  const seen = new Set<string>();
  const random = sampleValues(document, requestSchemaOf(document, operation), options.randomBodies, options.seed)
    .filter(
      (body) => verdictOf(body) === "accepted" && !seen.has(JSON.stringify(body)) && seen.add(JSON.stringify(body)),
    )
    .map((body, index) => ({
      name: `random valid body #${index + 1} (seed ${options.seed})`,
      body,
      verdict: "accepted" as Verdict,
    }));
  return [
    ...[...constraints, ...roots].map((kase) => ({ ...kase, group: "request body" as const })),
    ...random.map((kase) => ({ ...kase, group: "random valid bodies" as const })),
  ];
}

/**
 * Requests derived from an API's spec, each with the verdict the spec itself gives it: every
 * request constraint on its boundaries, every wrong JSON type per field and at the root,
 * non-ASCII text and property names, seeded random valid bodies, missing and malformed
 * credentials, and undocumented methods. Plain data, so any runner (vitest, a live check) can
 * send them; `sendCase` and `responseProblems` do that and judge the answer.
 */
export function contractCases(api: Api, document: OpenAPI3, options: ContractCaseOptions = {}): ContractCase[] {
  const settings = { ...defaultCaseOptions, ...options };
  const validate = specValidator(document);
  const operations = operationsOf(document);
  return operations.flatMap((operation) => {
    const example = exampleCall(document, operation);
    // The cases vary a JSON body: a body in another media type gets none.
    const body = example.bodyMediaType === jsonMediaType ? (example.body as Json) : undefined;
    const credentials = credentialsOf(document, operation);
    if (!credentials)
      throw new Error(
        `${api.id} ${operation.id}: no supported security scheme (HTTP bearer or an API key in a header)`,
      );
    const { path } = example;
    const keyHeader = { [credentials.header]: `${credentials.prefix}${settings.apiKey}` };
    const request = (headers: Record<string, string>, withBody: Json | undefined): CaseRequest => ({
      method: operation.method.toUpperCase(),
      path,
      headers: withBody === undefined ? headers : { "content-type": jsonMediaType, ...headers },
      ...(withBody !== undefined && { body: withBody }),
    });
    const of = (
      kase: Omit<ContractCase, "operationId" | "request">,
      headers: Record<string, string>,
      withBody: Json | undefined,
    ): ContractCase => ({
      operationId: operation.id,
      ...kase,
      request: request(headers, withBody),
    });

    const bodies = body === undefined ? [] : bodyCases(document, operation, body, validate, settings);
    // Prism takes any value of an API key as valid: against the mock only a missing key is
    // sure to be refused. A bearer token must at least come after the word "Bearer".
    const wrongCredentials = [
      { name: "no credentials", headers: {} },
      ...(credentials.kind === "bearer"
        ? [
            {
              name: "the key with another scheme word (Basic)",
              headers: { [credentials.header]: `Basic ${settings.apiKey}` },
            },
            { name: "the key without its scheme word", headers: { [credentials.header]: settings.apiKey } },
          ]
        : []),
    ];
    // One set of method cases per path, made with its first operation.
    const documented = operations.filter((other) => other.path === operation.path);
    const methods =
      documented[0] === operation
        ? probedMethods
            .filter((method) => !documented.some((other) => other.method === method))
            .map((method) => ({
              operationId: operation.id,
              group: "methods" as const,
              name: `${method.toUpperCase()} ${operation.path} (undocumented)`,
              request: { method: method.toUpperCase(), path, headers: keyHeader },
              verdict: "method not allowed" as const,
              allow: documented.map((other) => other.method.toUpperCase()),
            }))
        : [];
    return [
      ...bodies.map(({ group, name, body: candidate, verdict }) => of({ group, name, verdict }, keyHeader, candidate)),
      ...wrongCredentials.map(({ name, headers }) =>
        of({ group: "credentials", name, verdict: "unauthenticated" }, headers, body),
      ),
      ...methods,
    ];
  });
}

export interface CaseResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, else the text, else undefined for an empty body. */
  body: unknown;
}

/** Sends one case to a server, as any HTTP client would. */
export async function sendCase(baseUrl: string, kase: ContractCase): Promise<CaseResponse> {
  const { method, path, headers, body } = kase.request;
  const response = await fetch(new URL(path.replace(/^\//, ""), baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`), {
    method,
    headers,
    ...("body" in kase.request && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text === "" ? undefined : text;
  try {
    if (text !== "") parsed = JSON.parse(text);
  } catch {
    // Not JSON: the text itself is the body.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

const expectedStatuses: Record<Verdict, (status: number) => boolean> = {
  accepted: (status) => status >= 200 && status < 300,
  rejected: (status) => status === 400 || status === 422,
  unauthenticated: (status) => status === 401,
  "method not allowed": (status) => status === 405,
};

const expectedWords: Record<Verdict, string> = {
  accepted: "a 2xx",
  rejected: "400 or 422",
  unauthenticated: "401",
  "method not allowed": "405",
};

/**
 * What is wrong with a response to a case, as the spec sees it: the status its verdict calls
 * for, a status the operation documents, a body valid for that status, and for 405 an `Allow`
 * header naming the documented methods. Empty when the server kept the contract.
 */
export function responseProblems(
  document: OpenAPI3,
  kase: ContractCase,
  response: CaseResponse,
  validate = specValidator(document),
): string[] {
  const problems: string[] = [];
  const shown = JSON.stringify(response.body)?.slice(0, 300);
  if (!expectedStatuses[kase.verdict](response.status)) {
    problems.push(`expected ${expectedWords[kase.verdict]} (${kase.verdict}), got ${response.status}: ${shown}`);
  }
  if (kase.verdict === "method not allowed") {
    const allow = (response.headers.get("allow") ?? "")
      .split(",")
      .map((method) => method.trim().toUpperCase())
      .filter(Boolean);
    if ([...allow].sort().join() !== [...(kase.allow ?? [])].sort().join()) {
      problems.push(
        `expected Allow: ${kase.allow?.join(", ")}, got ${response.headers.get("allow") ?? "no Allow header"}`,
      );
    }
    return problems;
  }
  const operation = operationsOf(document).find((candidate) => candidate.id === kase.operationId);
  const documented = operation && responseForStatus(responsesOf(document, operation), response.status);
  if (!documented) problems.push(`status ${response.status} is not documented for ${kase.operationId}`);
  else if (documented.schema) {
    const violations = validate(documented.schemaPointer, response.body);
    if (violations.length > 0)
      problems.push(`the ${response.status} body breaks its schema (${violations.join("; ")}): ${shown}`);
  }
  return problems;
}
