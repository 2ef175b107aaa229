import { isDeepStrictEqual } from "node:util";
import {
  concretePointer,
  essence,
  isJson,
  isXml,
  jsonPointer,
  type Operation,
  operationsOf,
  resolveRef,
  responseBodyOf,
  responseForStatus,
  responsesOf,
  type SpecValidator,
  specValidator,
  undocumentedHeader,
} from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import type { ContractCase, Verdict } from "./cases.ts";
import { bodyInit, caseUrl } from "./wire.ts";

export interface CaseResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON for a JSON media type, text for `text/*` and XML, else the bytes; undefined for an empty body. */
  body: unknown;
}

/**
 * Each document's operations by id, read once: the contract tests judge tens of thousands of cases
 * of one document, and reading every operation again for each took 18 ms on GitHub's 1,223.
 */
const operationsById = new WeakMap<OpenAPI3, Map<string, Operation>>();

function operationById(document: OpenAPI3, id: string): Operation {
  let byId = operationsById.get(document);
  if (!byId) {
    // Reversed, so that the first operation of an id wins, as a search in document order finds it.
    byId = new Map(
      operationsOf(document)
        .map((operation) => [operation.id, operation] as const)
        .reverse(),
    );
    operationsById.set(document, byId);
  }
  return byId.get(id)!;
}

const isTextual = (mediaType: string) => mediaType.startsWith("text/") || isXml(mediaType);

/** An answer as received: JSON parsed for a JSON media type (or none), text for text and XML, else the bytes. */
function caseResponse(status: number, headers: Headers, bytes: Buffer): CaseResponse {
  const mediaType = essence(headers.get("content-type"));
  let parsed: unknown = bytes.length === 0 ? undefined : isTextual(mediaType) ? bytes.toString("utf8") : bytes;
  if (bytes.length > 0 && (isJson(mediaType) || mediaType === "")) {
    try {
      parsed = JSON.parse(bytes.toString("utf8"));
    } catch {
      // Not the JSON it claims: its text, which its schema then refuses.
      parsed = bytes.toString("utf8");
    }
  }
  return { status, headers, body: parsed };
}

/** Sends one case to a server, as any HTTP client would. */
export async function sendCase(baseUrl: string, kase: ContractCase): Promise<CaseResponse> {
  const { method, headers, body } = kase.request;
  // A redirect is the answer judged, never followed: where it leads may be off loopback (a download's `Location`).
  const response = await fetch(caseUrl(baseUrl, kase.request), {
    method,
    headers,
    redirect: "manual",
    ...(body && { body: bodyInit(body) }),
  });
  return caseResponse(response.status, response.headers, Buffer.from(await response.arrayBuffer()));
}

const expectedStatuses: Record<Exclude<Verdict, "answered">, (status: number) => boolean> = {
  // A valid request to an operation that answers with a redirect (a download's 302) is accepted too.
  accepted: (status) => status >= 200 && status < 400,
  rejected: (status) => status === 400 || status === 422,
  unauthenticated: (status) => status === 401,
  "method not allowed": (status) => status === 405,
};

const expectedWords: Record<Verdict, string> = {
  accepted: "a 2xx or 3xx",
  rejected: "400 or 422",
  unauthenticated: "401",
  "method not allowed": "405",
  answered: "a documented status",
};

/** Whether a documented content key (a range such as `image/*` included) covers a media type. */
const covers = (key: string, mediaType: string) => {
  const [type, subtype] = key.toLowerCase().split("/");
  const [givenType, givenSubtype] = mediaType.split("/");
  return (type === "*" || type === givenType) && (subtype === "*" || subtype === givenSubtype);
};

/** The documented content key an answer's media type falls under: the same type, else a range (`image/*`) covering it. */
const contentKeyOf = (content: string[], mediaType: string) =>
  content.find((candidate) => candidate.toLowerCase() === mediaType) ??
  content.find((candidate) => covers(candidate, mediaType));

/**
 * The documented example of its response whose own schema violations include every one of the
 * answer's JSON body, if there is one: the answer breaks its schema only where the spec's own
 * example does (a mock serves the example, its page fields perhaps set; a server agrees with it).
 * The defect is then the spec's, whoever sent the answer.
 */
export function documentedExampleOf(
  document: OpenAPI3,
  operation: Operation,
  response: CaseResponse,
  validate: SpecValidator,
): string | undefined {
  const documentedStatus = responseForStatus(responsesOf(document, operation), response.status)?.status;
  if (documentedStatus === undefined || response.body === undefined) return undefined;
  const written = resolveRef(document, operation.object.responses![documentedStatus]!);
  const key = contentKeyOf(Object.keys(written.content ?? {}), essence(response.headers.get("content-type")));
  if (key === undefined) return undefined;
  const schema = `${operation.pointer}${jsonPointer("responses", documentedStatus, "content", key, "schema")}`;
  const pointer = concretePointer(document, schema);
  const found = pointer === undefined ? [] : validate(pointer, response.body);
  if (found.length === 0) return undefined;
  const single = resolveRef(document, written.content![key]!).example;
  const examples = [
    ...(responseBodyOf(document, operation, documentedStatus, key)?.examples ?? []),
    ...(single === undefined ? [] : [{ name: "example", value: single }]),
  ];
  return examples.find(({ value }) => {
    const own = new Set(validate(pointer!, value));
    return found.every((violation) => own.has(violation));
  })?.name;
}

/**
 * What is wrong with an answer's media type and body, where its status is documented: a media type
 * the response does not document, a JSON body its schema refuses (validated with `validate`, best
 * a response-direction one), text that is not text, a binary body without bytes.
 */
export function bodyProblems(
  document: OpenAPI3,
  operation: Operation,
  response: CaseResponse,
  validate: SpecValidator,
): string[] {
  const documentedStatus = responseForStatus(responsesOf(document, operation), response.status)?.status;
  if (documentedStatus === undefined) return [];
  const written = resolveRef(document, operation.object.responses![documentedStatus]!);
  const content = Object.keys(written.content ?? {});
  // A response documented without content says nothing of a body: none is held against it.
  if (content.length === 0 || response.body === undefined) return [];
  const mediaType = essence(response.headers.get("content-type"));
  const key = contentKeyOf(content, mediaType);
  if (key === undefined)
    return [`the ${response.status} answer is ${mediaType || "untyped"}; the spec documents ${content.join(", ")}`];
  if (isJson(mediaType)) {
    const written = `${operation.pointer}${jsonPointer("responses", documentedStatus, "content", key, "schema")}`;
    const pointer = concretePointer(document, written);
    const violations = pointer === undefined ? [] : validate(pointer, response.body);
    if (violations.length > 0)
      return [
        `the ${response.status} body breaks its schema (${violations.join("; ")}): ${JSON.stringify(response.body)?.slice(0, 300)}`,
      ];
    return [];
  }
  if (isTextual(mediaType)) return typeof response.body === "string" ? [] : [`the ${mediaType} body is not text`];
  return Buffer.isBuffer(response.body) && response.body.length > 0 ? [] : [`the ${mediaType} body has no bytes`];
}

/**
 * What is wrong with an answer of the project's mock to a case, as the spec sees it: the status its
 * verdict calls for (for a documented answer `Prefer` asked for, that one, with its example's
 * body); where the operation documents such an answer, a documented status, in a documented media
 * type, with a body that fits its schema; where it documents none, the mock's undocumented mark
 * (`x-contracts-undocumented`) on it, from a server that marks them; for 405, an `Allow` header naming the documented methods.
 * A body that breaks its schema only where the spec's own example does (`documentedExampleOf`) is the
 * spec's defect, served as written. Empty when the answer keeps the contract.
 */
export function responseProblems(
  document: OpenAPI3,
  kase: ContractCase,
  response: CaseResponse,
  {
    validate = specValidator(document, "response"),
    marksUndocumented = true,
  }: {
    /** Response bodies against their schemas, best a response-direction validator (the default). */
    validate?: SpecValidator;
    /** Whether the server marks an undocumented answer as the project's Prism mock does (MSW handlers do not). */
    marksUndocumented?: boolean;
  } = {},
): string[] {
  const problems: string[] = [];
  const shown = JSON.stringify(
    Buffer.isBuffer(response.body) ? `<${response.body.length} bytes>` : response.body,
  )?.slice(0, 300);
  const operation = operationById(document, kase.operationId);
  const documented = responseForStatus(responsesOf(document, operation), response.status);
  const statusFits =
    kase.verdict === "answered"
      ? documented !== undefined && (kase.answer === undefined || kase.answer.status === response.status)
      : expectedStatuses[kase.verdict](response.status);
  if (!statusFits) {
    const wanted = kase.answer ? String(kase.answer.status) : expectedWords[kase.verdict];
    problems.push(`expected ${wanted} (${kase.verdict}), got ${response.status}: ${shown}`);
  }
  if (kase.verdict === "method not allowed") {
    const allow = (response.headers.get("allow") ?? "")
      .split(",")
      .map((method) => method.trim().toUpperCase())
      .filter(Boolean);
    if ([...allow].sort().join() !== [...(kase.allow ?? [])].sort().join())
      problems.push(
        `expected Allow: ${kase.allow?.join(", ")}, got ${response.headers.get("allow") ?? "no Allow header"}`,
      );
  }
  const mark = response.headers.get(undocumentedHeader);
  if (!kase.documented) {
    if (marksUndocumented && mark !== String(response.status))
      problems.push(
        `${kase.operationId} documents no answer for this (${kase.verdict}): expected the mock's ${undocumentedHeader}: ${response.status}, got ${mark ?? "none"}`,
      );
    return problems;
  }
  if (!documented) {
    problems.push(`status ${response.status} is not documented for ${kase.operationId}`);
    return problems;
  }
  // A body that breaks its schema only where the spec's own example does is the spec's defect (lint
  // warns of it; the house style refuses it), served as written: not the mock's.
  const body = bodyProblems(document, operation, response, validate);
  if (body.length > 0 && documentedExampleOf(document, operation, response, validate) === undefined)
    problems.push(...body);
  if (kase.answer?.value !== undefined && !isDeepStrictEqual(response.body, kase.answer.value))
    problems.push(
      `expected the example ${kase.answer.example ?? ""} ${JSON.stringify(kase.answer.value)?.slice(0, 300)}, got ${shown}`,
    );
  return problems;
}
