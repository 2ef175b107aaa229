import {
  essence,
  exampleCall,
  httpMethods,
  isJson,
  type Json,
  type Operation,
  operationsOf,
  parameterExample,
  parametersOf,
  preferredMediaTypeOf,
  type RetryRule,
  requestBodyOf,
  requestSchemaOf,
  resolveRef,
  responseForStatus,
  responsesOf,
  retryRuleOf,
  type SpecValidator,
  securityRequirementsOf,
  sentSchemesOf,
  specValidator,
  stylesField,
  templateSent,
} from "@contracts/spec";
import fc from "fast-check";
import type { OpenAPI3 } from "openapi-typescript";
import { fittingSample, madeUpBody, sampleValues } from "./arbitrary.ts";
import { constraintCases } from "./constraints.ts";
import { parameterCases } from "./parameters.ts";
import {
  type CaseRequest,
  type CredentialValues,
  caseRequest,
  type FieldStyle,
  type RequestValues,
  testCredentials,
  writableInStyle,
} from "./wire.ts";

/**
 * What the spec says the server must do with a request: `accepted` a 2xx, `rejected` 400 or 422,
 * `unauthenticated` 401, `method not allowed` 405, and `answered` any status the operation
 * documents (it documents no 2xx, as an operation that documents only its 401; or `Prefer` asked
 * for one documented answer).
 */
export type Verdict = "accepted" | "rejected" | "unauthenticated" | "method not allowed" | "answered";

export type CaseGroup =
  | "valid requests"
  | "parameters"
  | "request body"
  | "random valid bodies"
  | "credentials"
  | "responses"
  | "retries"
  | "methods";

export interface ContractCase {
  /** The operation the request is made of. */
  operationId: string;
  group: CaseGroup;
  name: string;
  request: CaseRequest;
  verdict: Verdict;
  /**
   * Whether the operation documents an answer the verdict allows. Where it does not (no 400
   * documented for a bad request, no 401 for missing credentials, an undocumented method), the
   * spec has a gap, and the project's mock marks its answer `x-contracts-undocumented`.
   */
  documented: boolean;
  /** For "method not allowed": the methods the `Allow` header must name. */
  allow?: string[];
  /** For "responses": the documented answer `Prefer` asks for, its body where the spec gives one. */
  answer?: { status: number; example?: string; value?: unknown; mediaType?: string };
  /** For "retries": whether the generated client retries the operation by default, and why. */
  retry?: RetryRule;
  /** The typed values the request is made of, for a runner that sends it through a client ("responses", "retries"). */
  values?: RequestValues;
  /** Why the case cannot be kept where the spec's own text is at fault: a runner skips it, saying so. */
  specDefect?: string;
}

export interface ContractCaseOptions {
  /** The key (and basic password) sent where a case does not test credentials. */
  apiKey?: string;
  /** The credentials sent, per scheme, instead of ones made of `apiKey` (verify's, from the environment). */
  credentials?: CredentialValues;
  /** Path parameter values by name, in place of the spec's examples (verify's `--param`: a sandbox's own ids). */
  pathValues?: Record<string, unknown>;
  /** Seeded random valid bodies drawn per operation, before the cap. */
  randomBodies?: number;
  /**
   * The most cases of one operation: the valid requests, credentials, documented answers,
   * retries and methods are all kept; the parameter, body and random-body cases fill the rest,
   * sampled with the seed so that every constraint is probed before any is probed twice.
   */
  maxCasesPerOperation?: number;
  seed?: number;
}

export const defaultCaseOptions = {
  apiKey: "contract-test-key-7f3a9c",
  randomBodies: 20,
  maxCasesPerOperation: 40,
  seed: 20_251_123,
} as const;

/** Bodies of the wrong JSON type at the root: no object at all. */
const wrongRoots: Json[] = [null, 0, false, []];

/** Methods a client might try on a documented path: not HEAD and OPTIONS (HTTP's own, for GET and CORS), nor TRACE (fetch refuses to send it). */
const probedMethods = httpMethods.filter((method) => !["head", "options", "trace"].includes(method));

const bodilessMethods = ["get", "head"];

/** The path a request goes to (`templateSent`): operations keyed apart by a `#fragment` share it. */
const sentPath = (operation: Operation) => templateSent(operation.path);

/** The field styles a form body's `encoding` declares, if any. */
function encodingOf(
  document: OpenAPI3,
  operation: Operation,
  mediaType: string,
): { encoding?: Record<string, FieldStyle> } {
  const requestBody = operation.object.requestBody && resolveRef(document, operation.object.requestBody);
  const written = requestBody?.content[mediaType] && resolveRef(document, requestBody.content[mediaType]);
  const styled = Object.entries(written?.encoding ?? {}).filter(([, encoding]) => stylesField(encoding));
  return styled.length > 0 ? { encoding: Object.fromEntries(styled) as Record<string, FieldStyle> } : {};
}

/** Whether the operation documents an answer the verdict allows (see `ContractCase.documented`). */
function documents(document: OpenAPI3, operation: Operation, verdict: Verdict): boolean {
  const responses = responsesOf(document, operation);
  const covers = (status: number) => responseForStatus(responses, status) !== undefined;
  switch (verdict) {
    case "accepted":
      return responses.some(({ status }) => /^2/.test(status) || status === "default");
    case "rejected":
      return covers(400) || covers(422);
    case "unauthenticated":
      return covers(401);
    case "method not allowed":
      return false;
    case "answered":
      return true;
  }
}

/** What a valid request gets: a 2xx, unless the operation documents responses and no 2xx among them. */
function validVerdict(operation: Operation): Verdict {
  const statuses = Object.keys(operation.object.responses ?? {});
  return statuses.length > 0 && !statuses.some((status) => /^2|^default$/.test(status)) ? "answered" : "accepted";
}

/** A stable number per operation, so that its sample does not change when another operation is added. */
function seedOf(seed: number, operationId: string): number {
  let hash = seed >>> 0;
  for (const char of operationId) hash = Math.imul(hash ^ char.charCodeAt(0), 16_777_619) >>> 0;
  return hash;
}

/**
 * At most `budget` of the cases, drawn with the seed: shuffled, then taken one per stratum (a
 * parameter's keyword, a body field's keyword) in turn, so that every constraint is probed before
 * any is probed twice. The derivation's order is kept.
 */
function sampled<T>(cases: T[], stratum: (kase: T) => string, budget: number, seed: number): T[] {
  if (cases.length <= budget) return cases;
  const [shuffled] = fc.sample(fc.shuffledSubarray(cases, { minLength: cases.length }), { seed, numRuns: 1 });
  const strata = new Map<string, T[]>();
  for (const kase of shuffled!) strata.set(stratum(kase), [...(strata.get(stratum(kase)) ?? []), kase]);
  const picked = new Set<T>();
  for (let round = 0; picked.size < budget; round += 1)
    for (const members of strata.values())
      if (members[round] !== undefined && picked.size < budget) picked.add(members[round]!);
  return cases.filter((kase) => picked.has(kase));
}

/** A case before the operation's common fields are filled in, with what the sampling needs. */
interface Draft extends Omit<ContractCase, "operationId" | "documented" | "request"> {
  values: RequestValues;
  /** Credentials sent: the requirement and extra headers; the first requirement's by default. */
  requirement?: readonly string[];
  headers?: Record<string, string>;
  stratum?: string;
}

/** Everything the derivation of one operation's cases needs. */
interface Derivation {
  document: OpenAPI3;
  operation: Operation;
  /** A value as it reads after travelling as text: a parameter's, its example's and its cases' (see `contractCases`). */
  validateText: SpecValidator;
  /** Request bodies: the schema, and no readOnly property (the mocks refuse them). */
  validateRequest: SpecValidator;
  /**
   * How a request body of the media type is judged by its schema: JSON by `validateRequest`, a
   * URL-encoded form as its reader takes its fields (see `contractCases`); undefined for the rest.
   */
  bodyValidator: (mediaType: string) => SpecValidator | undefined;
  /** Response bodies against their schemas (writeOnly properties left out). */
  validateResponse: SpecValidator;
  credentials: CredentialValues;
  pathValues: Record<string, unknown>;
  settings: Required<Omit<ContractCaseOptions, "credentials" | "pathValues">>;
}

const withValue = (
  values: RequestValues,
  location: keyof Omit<RequestValues, "body">,
  name: string,
  value: unknown,
) => {
  const { [name]: _left, ...rest } = values[location];
  return { ...values, [location]: value === undefined ? rest : { ...rest, [name]: value } };
};

/** The valid requests: the example call, every optional parameter of each location, each alternative's credentials, each request example. */
function validDrafts({ document, operation, validateText, bodyValidator }: Derivation, base: RequestValues): Draft[] {
  const verdict = validVerdict(operation);
  const drafts: Draft[] = [{ group: "valid requests", name: "the example call", verdict, values: base }];
  const optional = parametersOf(document, operation).filter(({ object }) => object.in !== "path" && !object.required);
  for (const location of ["query", "header", "cookie"] as const) {
    const parameters = optional.filter(({ object }) => object.in === location);
    if (parameters.length === 0) continue;
    const examples = parameters
      .map((parameter) => ({ parameter, value: parameterExample(document, parameter) }))
      .filter(({ parameter, value }) => writableInStyle(parameter.object, value));
    if (examples.length === 0) continue;
    const valid = examples.every(({ parameter, value }) => validateText(parameter.schemaPointer, value).length === 0);
    drafts.push({
      group: "valid requests",
      name: `every optional ${location} parameter (${examples.map(({ parameter }) => parameter.object.name).join(", ")})`,
      verdict: valid ? verdict : "rejected",
      values: examples.reduce(
        (values, { parameter, value }) => withValue(values, location, parameter.object.name, value),
        base,
      ),
    });
  }
  const [, ...alternatives] = securityRequirementsOf(document, operation);
  for (const requirement of alternatives)
    drafts.push({
      group: "valid requests",
      name:
        requirement.length === 0 ? "no credentials (security optional)" : `credentials: ${requirement.join(" and ")}`,
      verdict,
      values: base,
      requirement,
    });
  const body = base.body && requestBodyOf(document, operation, base.body.mediaType);
  for (const { name, value } of body?.examples.slice(1) ?? []) {
    // An example without a value (GitHub's "Restarting an import": a summary alone) has no body to send.
    if (value === undefined) continue;
    const check = bodyValidator(body!.mediaType);
    const fits = !check || !body!.schema || check(body!.schemaPointer, value).length === 0;
    drafts.push({
      group: "valid requests",
      name: `request example ${name}`,
      verdict: fits ? verdict : "rejected",
      values: { ...base, body: { mediaType: body!.mediaType, value } },
    });
  }
  return drafts;
}

/** The JSON body's cases: every constraint on its boundaries, wrong roots, seeded random valid bodies. */
function bodyDrafts({ document, operation, validateRequest, settings }: Derivation, base: RequestValues): Draft[] {
  if (!base.body || !isJson(base.body.mediaType)) return [];
  const { mediaType, value: example } = base.body;
  const schemaPointer = requestBodyOf(document, operation, mediaType)?.schemaPointer;
  if (!schemaPointer || !requestSchemaOf(document, operation)) return [];
  const verdictOf = (body: Json): Verdict =>
    validateRequest(schemaPointer, body).length === 0 ? "accepted" : "rejected";
  const withBody = (value: Json) => ({ ...base, body: { mediaType, value } });
  const constraints = constraintCases(document, operation, example as Json, validateRequest).map(
    ({ name, body, expected, keyword }): Draft => ({
      group: "request body",
      name,
      verdict: expected,
      values: withBody(body),
      stratum: `${name.split(" ")[0]} ${keyword}`,
    }),
  );
  const roots = wrongRoots.map(
    (body): Draft => ({
      group: "request body",
      name: `body ${JSON.stringify(body)} as the whole body`,
      verdict: verdictOf(body),
      values: withBody(body),
      stratum: "root",
    }),
  );
  const seen = new Set<string>();
  const random = sampleValues(document, requestSchemaOf(document, operation), settings.randomBodies, settings.seed)
    .filter(
      (body) => verdictOf(body) === "accepted" && !seen.has(JSON.stringify(body)) && seen.add(JSON.stringify(body)),
    )
    .map(
      (body, index): Draft => ({
        group: "random valid bodies",
        name: `random valid body #${index + 1} (seed ${settings.seed})`,
        verdict: "accepted",
        values: withBody(body),
        stratum: "random",
      }),
    );
  return [...constraints, ...roots, ...random];
}

/** Requests without the credentials the operation needs, and for token and basic schemes a credential after the wrong scheme word. */
function credentialDrafts({ document, operation }: Derivation, base: RequestValues): Draft[] {
  const requirements = securityRequirementsOf(document, operation);
  if (requirements.length === 0 || requirements.some((requirement) => requirement.length === 0)) return [];
  const schemes = sentSchemesOf(document).filter(({ schemeName }) => requirements.flat().includes(schemeName));
  const authorization = schemes.filter(
    ({ in: place, name }) => place === "header" && name.toLowerCase() === "authorization",
  );
  const drafts: Draft[] = [
    { group: "credentials", name: "no credentials", verdict: "unauthenticated", values: base, requirement: [] },
  ];
  // A raw key in Authorization (an apiKey scheme there) takes any value: no scheme word is wrong then.
  if (authorization.length === 0 || authorization.some(({ kind }) => kind === "key")) return drafts;
  const key = "contract-wrong-credential";
  const [other, word] = authorization.some(({ kind }) => kind === "token") ? ["Basic", "Bearer"] : ["Bearer", "Basic"];
  return [
    ...drafts,
    {
      group: "credentials",
      name: `a credential after another scheme word (${other})`,
      verdict: "unauthenticated",
      values: base,
      requirement: [],
      headers: { authorization: `${other} ${key}` },
    },
    {
      group: "credentials",
      name: `a credential without its scheme word (${word})`,
      verdict: "unauthenticated",
      values: base,
      requirement: [],
      headers: { authorization: key },
    },
  ];
}

/** One request per documented status (an exact code), per named example where it has some, asking the mock for it with `Prefer`. */
function responseDrafts({ document, operation, validateResponse }: Derivation, base: RequestValues): Draft[] {
  return responsesOf(document, operation)
    .filter(({ status }) => /^\d{3}$/.test(status))
    .flatMap((response) => {
      const written = resolveRef(document, operation.object.responses![response.status]!);
      const mediaType = preferredMediaTypeOf(written.content);
      const status = Number(response.status);
      const answers = isJson(mediaType)
        ? response.examples.length > 0
          ? response.examples.map(({ name, value }) => ({ example: name, value }))
          : [{ example: undefined, value: response.firstExample?.value }]
        : [{ example: undefined, value: undefined }];
      // A vendor's example may break its own schema (lint warns of it): the mocks serve it as written.
      const broken = (value: unknown) =>
        value === undefined || response.schema === undefined ? [] : validateResponse(response.schemaPointer, value);
      // Without an example, the mocks make a body up; a schema no body fits (GitHub's `oneOf` of two
      // objects whose keys are all optional: every object matches both) leaves them none that does.
      const unfit = (value: unknown) => {
        if (value !== undefined || response.schema === undefined || !isJson(mediaType)) return [];
        const fits = (candidate: unknown) => validateResponse(response.schemaPointer, candidate).length === 0;
        return broken(madeUpBody(document, response.schema, fits));
      };
      const defectOf = (example: string | undefined, value: unknown) => {
        if (broken(value).length > 0)
          return `the example${example === undefined ? "" : ` ${example}`} breaks its schema (${broken(value).join("; ")})`;
        const problems = unfit(value);
        return problems.length > 0 ? `no body fits its schema (${problems.join("; ")})` : undefined;
      };
      return answers.map(({ example, value }): Draft => {
        const specDefect = defectOf(example, value);
        return {
          ...(specDefect !== undefined && { specDefect }),
          group: "responses",
          name: `${status}${example === undefined ? "" : ` ${example}`}${mediaType ? ` (${mediaType})` : " (no body)"}`,
          verdict: "answered",
          values: base,
          answer: {
            status,
            ...(example !== undefined && { example }),
            ...(value !== undefined && { value }),
            ...(mediaType && { mediaType }),
          },
          headers: {
            prefer: example === undefined ? `code=${status}` : `code=${status}, example=${example}`,
            ...(mediaType && { accept: mediaType }),
          },
        };
      });
    });
}

/** A path as requests see it: its variables' names are not sent (`/a/{id}` and `/a/{name}` take the same requests). */
const pathShape = (operation: Operation) => sentPath(operation).replace(/\{[^}]*\}/g, "{}");

/** The probes of undocumented methods, once per path a request goes to, made with its first operation. */
function methodDrafts(derivation: Derivation, base: RequestValues, operations: Operation[]): Draft[] {
  const { operation } = derivation;
  const documented = operations.filter((other) => pathShape(other) === pathShape(operation));
  if (documented[0] !== operation) return [];
  const allow = [...new Set(documented.map((other) => other.method.toUpperCase()))];
  return probedMethods
    .filter((method) => !allow.includes(method.toUpperCase()))
    .map((method) => ({
      group: "methods" as const,
      name: `${method.toUpperCase()} ${sentPath(operation)} (undocumented)`,
      verdict: "method not allowed" as const,
      values: { ...base, body: undefined },
      allow,
      method: method.toUpperCase(),
    }));
}

/**
 * A request body of `operation` in `mediaType`: `value` unless it breaks its own schema (an example
 * the spec got wrong, a sampled `default: null`, a `oneOf` value more than one branch takes), as
 * `check` reads it; then a seeded value that fits, so that a valid request is valid. `fits` is false
 * where none was found.
 */
export function fittingRequestBody(
  document: OpenAPI3,
  operation: Operation,
  mediaType: string,
  value: unknown,
  check: SpecValidator,
): { value: unknown; fits: boolean } {
  const documented = requestBodyOf(document, operation, mediaType);
  if (!documented?.schema) return { value, fits: true };
  const fits = (candidate: unknown) => check(documented.schemaPointer, candidate).length === 0;
  if (fits(value)) return { value, fits: true };
  const sample = fittingSample(document, documented.schema, fits);
  return sample === undefined ? { value, fits: false } : { value: sample, fits: true };
}

/**
 * The example call's JSON or URL-encoded form body, made to fit (`fittingRequestBody`). The spec's
 * own examples are each judged apart ("request example ...").
 */
function validBody(
  { document, operation, bodyValidator }: Derivation,
  mediaType: string,
  value: unknown,
): { value: unknown; fits: boolean } {
  const check = bodyValidator(mediaType);
  return check ? fittingRequestBody(document, operation, mediaType, value, check) : { value, fits: true };
}

/**
 * The example call's parameter values, each one its schema refuses (a sampled or mistyped example)
 * replaced by a seeded value that fits, as `validBody` does for the body.
 */
function validParameters({ document, operation, validateText }: Derivation, values: RequestValues): RequestValues {
  let valid = values;
  for (const { object, schemaPointer } of parametersOf(document, operation)) {
    const location = object.in as "path" | "query" | "header" | "cookie";
    const value = values[location][object.name];
    const fits = (candidate: unknown) => validateText(schemaPointer, candidate).length === 0;
    if (value === undefined || fits(value)) continue;
    const sample = fittingSample(document, { $ref: `#${schemaPointer}` }, fits);
    if (sample !== undefined) valid = { ...valid, [location]: { ...valid[location], [object.name]: sample } };
  }
  return valid;
}

const noFittingBody =
  "no request body its schema accepts was found (every branch of a oneOf taking the same values, say), so the mocks refuse the request before giving any documented answer";

/** Every case of one operation, capped and sampled (see `ContractCaseOptions.maxCasesPerOperation`). */
function operationCases(derivation: Derivation, operations: Operation[]): ContractCase[] {
  const { document, operation, settings } = derivation;
  const example = exampleCall(document, operation);
  const given = Object.entries(derivation.pathValues).filter(([name]) => name in example.pathValues);
  // A GET or HEAD with a body (a spec may document one) is what fetch, and so every client, refuses to send.
  const sendsBody =
    example.bodyMediaType !== undefined && example.body !== undefined && !bodilessMethods.includes(operation.method);
  const body = sendsBody ? validBody(derivation, example.bodyMediaType!, example.body) : undefined;
  const exampleValues = validParameters(derivation, {
    path: example.pathValues,
    query: example.query,
    header: example.header,
    cookie: example.cookie,
  });
  const base: RequestValues = {
    ...exampleValues,
    // verify's `--param`: a sandbox's own ids, sent as given.
    path: { ...exampleValues.path, ...Object.fromEntries(given) },
    ...(body && {
      body: {
        mediaType: example.bodyMediaType!,
        value: body.value,
        ...encodingOf(document, operation, example.bodyMediaType!),
      },
    }),
  };
  const parameters = parameterCases(document, operation, derivation.validateText).map(
    ({ name, location, parameter, value, expected, keyword }): Draft => ({
      group: "parameters",
      name,
      verdict: expected,
      values:
        location === "path"
          ? { ...base, path: { ...base.path, [parameter]: value } }
          : withValue(base, location, parameter, value),
      stratum: `${location} ${parameter} ${keyword}`,
    }),
  );
  const kept = [
    ...validDrafts(derivation, base),
    ...credentialDrafts(derivation, base),
    ...responseDrafts(derivation, base),
    {
      group: "retries" as const,
      name: `${retryRuleOf(operation).retried ? "retried" : "not retried"} after a 503: ${retryRuleOf(operation).because}`,
      verdict: validVerdict(operation),
      values: base,
      retry: retryRuleOf(operation),
    },
    ...methodDrafts(derivation, base, operations),
  ];
  const budget = Math.max(0, settings.maxCasesPerOperation - kept.length);
  const drawn = sampled(
    [...parameters, ...bodyDrafts(derivation, base)],
    (draft) => draft.stratum ?? draft.name,
    budget,
    seedOf(settings.seed, operation.id),
  );
  const [firstRequirement = []] = securityRequirementsOf(document, operation);
  // A valid request to an operation that documents no 2xx gets one of its documented answers; one
  // with a body no value of its schema could be found for (a `oneOf` whose branches all take it) is refused.
  const valid = validVerdict(operation);
  const unfit = (draft: Draft) =>
    body?.fits === false &&
    draft.values.body === base.body &&
    draft.group !== "responses" &&
    (draft.verdict === "accepted" || draft.verdict === "answered");
  // A documented answer is asked of a valid request: without a body that fits, none can be asked for.
  const unanswerable = (draft: Draft) => body?.fits === false && draft.group === "responses";
  // A value no style writes (a list of objects in a query) is a request no client sends: no case.
  const writable = ({ values }: Draft) =>
    parametersOf(document, operation).every(({ object }) =>
      writableInStyle(object, values[object.in as keyof Omit<RequestValues, "body">]?.[object.name]),
    );
  return [...kept, ...drawn].filter(writable).map((draft) => {
    const {
      values,
      requirement,
      headers,
      stratum: _stratum,
      method,
      ...drafted
    } = draft as Draft & { method?: string };
    const kase = unfit(draft)
      ? { ...drafted, name: `${drafted.name} (no body its schema accepts was found)`, verdict: "rejected" as const }
      : { ...drafted, verdict: drafted.verdict === "accepted" ? valid : drafted.verdict };
    const sent = requirement ?? firstRequirement;
    const request = caseRequest(
      document,
      operation,
      values,
      { requirement: sent, values: derivation.credentials },
      headers,
    );
    return {
      operationId: operation.id,
      ...kase,
      documented: documents(document, operation, kase.verdict),
      request: method ? { ...request, method } : request,
      ...((kase.group === "responses" || kase.group === "retries") && { values }),
      ...(unanswerable(draft) && { specDefect: noFittingBody }),
    };
  });
}

/**
 * Requests derived from an API's spec for every operation, each with the verdict the spec itself
 * gives it: the valid requests (the example call with every parameter location, each optional
 * parameter, each alternative of its security, each request example); every parameter constraint
 * on its boundaries; every request-body constraint, wrong JSON type, non-ASCII text and key, and
 * seeded random valid bodies; missing and malformed credentials; each documented status and named
 * example; the retry rule; and every undocumented method. Capped per operation and sampled with a
 * fixed seed (`ContractCaseOptions`), so the same spec always gives the same cases. Plain data, so
 * any runner (vitest, a live check) can send them; `sendCase` and `responseProblems` do that and
 * judge the answer.
 */
export function contractCases(document: OpenAPI3, options: ContractCaseOptions = {}): ContractCase[] {
  const { credentials: given, pathValues = {}, ...rest } = options;
  const settings = { ...defaultCaseOptions, ...rest };
  // As a request: a readOnly property sent is a violation (`directional`).
  const validateRequest = specValidator(document, "request");
  // A parameter and a URL-encoded form's fields travel as text: they are judged as their readers
  // take them, by Ajv's coercion (as Prism's and the MSW handlers'), on a copy. A value fits read as
  // it is (Twilio's `Beta: "true"`; GitHub's `affects: "x"` under `oneOf: [string, array]`, which a
  // list reading would match twice), or else read as a one-item list where the schema wants one
  // (Twilio's `StatusCallbackEvent: ringing`). Each reading made when first needed.
  let asItIs: SpecValidator | undefined;
  let asList: SpecValidator | undefined;
  const validateText: SpecValidator = (pointer, value) => {
    asItIs ??= specValidator(document, "request", { coerceTypes: true });
    if (asItIs(pointer, structuredClone(value)).length === 0) return [];
    asList ??= specValidator(document, "request", { coerceTypes: "array" });
    return asList(pointer, structuredClone(value));
  };
  const bodyValidator = (mediaType: string) =>
    isJson(mediaType)
      ? validateRequest
      : essence(mediaType) === "application/x-www-form-urlencoded"
        ? validateText
        : undefined;
  const credentials = given ?? testCredentials(document, settings.apiKey);
  const validateResponse = specValidator(document, "response");
  const operations = operationsOf(document);
  return operations.flatMap((operation) =>
    operationCases(
      {
        document,
        operation,
        validateText,
        validateRequest,
        bodyValidator,
        validateResponse,
        credentials,
        pathValues,
        settings,
      },
      operations,
    ),
  );
}
