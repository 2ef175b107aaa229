import {
  contentTypeOf,
  cookieHeader,
  credentialText,
  essence,
  formSerializer,
  isJson,
  type Operation,
  parametersOf,
  placeCredential,
  queryString,
  requestPath,
  type Style,
  sentSchemesOf,
  simpleText,
  styleOf,
} from "@contracts/spec";
import type { OpenAPI3, ParameterObject } from "openapi-typescript";

/** How a form field is written, where its `encoding` gives a style (OpenAPI's Encoding Object). */
export interface FieldStyle {
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
}

/** A request body in its media type; the value as a caller gives it (an object for JSON and forms). */
export interface CaseBody {
  mediaType: string;
  value: unknown;
  /** A form's field styles, by field name, where its `encoding` declares them. */
  encoding?: Record<string, FieldStyle>;
}

/** One request of a case, as plain data: any runner sends it (`sendCase`, verify's exchange). */
export interface CaseRequest {
  method: string;
  /** Path and query string, percent-encoded, relative to the API's base URL. */
  path: string;
  headers: Record<string, string>;
  /** Absent sends none. */
  body?: CaseBody;
}

/** What a request carries in each parameter location, each value typed as the client takes it; undefined leaves it out. */
export interface RequestValues {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  body?: CaseBody;
}

/** A credential per security scheme, by its name in the spec: a key or an access token, or a user name and password for HTTP basic. */
export type CredentialValues = Record<string, string | { username: string; password: string }>;

/** The password of the contract tests' HTTP basic credentials is the key; this is the user name. */
const testUsername = "contract-user";

/** A credential for every scheme of the document, all made of one distinctive key: what the contract tests send. */
export function testCredentials(document: OpenAPI3, key: string): CredentialValues {
  return Object.fromEntries(
    sentSchemesOf(document).map(({ schemeName, kind }) => [
      schemeName,
      kind === "basic" ? { username: testUsername, password: key } : key,
    ]),
  );
}

/**
 * Whether a query or cookie value can be written in its parameter's style: OpenAPI defines no form
 * for an array or object inside another (Box's `mdfilters`, a list of objects), and openapi-fetch,
 * the client's writer, refuses one. A parameter with `content` is written as JSON, whatever it holds.
 */
export function writableInStyle(parameter: Pick<ParameterObject, "in" | "content">, value: unknown): boolean {
  if (parameter.in === "path" || parameter.in === "header" || parameter.content) return true;
  if (value === null || typeof value !== "object") return true;
  return Object.values(value).every((item) => item === null || typeof item !== "object");
}

/**
 * A location's parameters as the query and cookie writers take them: each value (a parameter with
 * `content` as its JSON, written as a plain form value) and each style.
 */
function styled(
  parameters: ParameterObject[],
  values: Record<string, unknown>,
): { values: Record<string, unknown>; styles: Record<string, Style> } {
  return {
    values: Object.fromEntries(
      parameters.map(({ name, content }) => [name, content ? JSON.stringify(values[name]) : values[name]]),
    ),
    styles: Object.fromEntries(
      parameters.flatMap((parameter) => (parameter.content ? [] : [[parameter.name, styleOf(parameter)]])),
    ),
  };
}

/** A header parameter's value in the simple style (its only one), or JSON where it has `content`. */
function headerText(parameter: ParameterObject, value: unknown): string {
  return parameter.content ? JSON.stringify(value) : simpleText(parameter.name, value, styleOf(parameter).explode);
}

/**
 * The credentials of one security requirement where their schemes put them: into `headers` (a cookie
 * after the Cookie header's parameters) or onto `query`.
 */
function placeRequirement(
  document: OpenAPI3,
  { requirement, values }: { requirement: readonly string[]; values: CredentialValues },
  headers: Headers,
  query: string[],
): void {
  const schemes = sentSchemesOf(document);
  for (const name of requirement) {
    const scheme = schemes.find((candidate) => candidate.schemeName === name);
    const value = values[name];
    if (scheme && value !== undefined) placeCredential(headers, query, scheme, credentialText(scheme, value));
  }
}

/** The headers as a record (TypeScript's DOM lib, without DOM.Iterable, does not iterate Headers). */
function recordOf(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

/**
 * The request of an operation with these values, each parameter serialized as its `style` and
 * `explode` say (path, query, header, and cookie parameters in the Cookie header), the credentials
 * of `requirement` where their schemes put them, and `headers` last (they win).
 */
export function caseRequest(
  document: OpenAPI3,
  operation: Operation,
  values: RequestValues,
  credentials: { requirement: readonly string[]; values: CredentialValues } = { requirement: [], values: {} },
  headers: Record<string, string> = {},
): CaseRequest {
  const parameters = parametersOf(document, operation).map(({ object }) => object);
  const inLocation = (location: "query" | "header" | "cookie") =>
    parameters.filter((parameter) => parameter.in === location && values[location][parameter.name] !== undefined);
  const query = styled(inLocation("query"), values.query);
  const cookies = styled(inLocation("cookie"), values.cookie);
  const queryPairs = [queryString(query.values, query.styles)].filter(Boolean);
  const cookie = cookieHeader(cookies.values, cookies.styles);
  // The Cookie header and the credentials' headers (Headers names them in lower case).
  const placed = new Headers(cookie ? { cookie } : {});
  placeRequirement(document, credentials, placed, queryPairs);
  const contentType = values.body && contentTypeOf(values.body.mediaType);
  const path = requestPath(document, operation, values.path);
  // A path a spec keys with a query of its own (OpenAI's `/responses?beta=true`) takes the rest after it.
  const separator = path.includes("?") ? "&" : "?";
  return {
    method: operation.method.toUpperCase(),
    path: `${path}${queryPairs.length > 0 ? `${separator}${queryPairs.join("&")}` : ""}`,
    headers: {
      ...Object.fromEntries(
        inLocation("header").map((parameter) => [parameter.name, headerText(parameter, values.header[parameter.name])]),
      ),
      ...(contentType && { "content-type": contentType }),
      ...recordOf(placed),
      ...headers,
    },
    ...(values.body && { body: values.body }),
  };
}

/** `JSON.rawJSON` (Node 21+), which TypeScript's ES2022 lib does not declare: a JSON text written as it is. */
const rawJSON = (JSON as unknown as { rawJSON: (text: string) => unknown }).rawJSON;

/**
 * An integer beyond 2^53 as the exact integer its double is: JavaScript writes -2^63 as
 * -9223372036854776000, an integer beyond int64 that a reader of exact integers (the mocks, a Go
 * or Java server) refuses, where the case means -9223372036854775808 (OpenAI's `seed` minimum).
 */
const exactInteger = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)
    ? BigInt(value).toString()
    : undefined;

/** The value with each integer beyond 2^53 as its exact JSON text (see `exactInteger`), as JSON.stringify writes it. */
function withExactIntegers(value: unknown): unknown {
  const exact = exactInteger(value);
  if (exact !== undefined) return rawJSON(exact);
  if (Array.isArray(value)) return value.map(withExactIntegers);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withExactIntegers(item)]));
}

/** A value as JSON text, integers beyond 2^53 exact. */
const jsonText = (value: unknown) => JSON.stringify(withExactIntegers(value));

/**
 * A form body as the client writes it (client-core's formSerializer): a field its `encoding` styles
 * in that style, any other as OpenAPI's default (each array item a field, an object as its JSON,
 * integers beyond 2^53 exact: the client's writer takes them as JSON).
 */
function formBody(requestType: string, value: unknown, encoding: Record<string, FieldStyle> = {}) {
  const fieldStyles = Object.fromEntries(
    Object.entries(encoding).map(([name, style]) => [name, styleOf({ in: "query", ...style })]),
  );
  const fields = Object.fromEntries(
    Object.entries((value ?? {}) as Record<string, unknown>).map(([name, field]) => [
      name,
      fieldStyles[name] ? field : withExactIntegers(field),
    ]),
  );
  return formSerializer({ requestType, fieldStyles }, { queryString, isJson })(fields);
}

/** The body as fetch sends it: JSON, a form (urlencoded or multipart), else the value as given (text, bytes). */
export function bodyInit({ mediaType, value, encoding }: CaseBody): BodyInit {
  const base = essence(mediaType);
  if (isJson(base)) return jsonText(value);
  if (base === "application/x-www-form-urlencoded" || base === "multipart/form-data")
    return formBody(base, value, encoding);
  return typeof value === "string" || value instanceof Uint8Array ? (value as BodyInit) : jsonText(value);
}

/** The URL of a case's request under a base URL, whose own path stays in front. */
export function caseUrl(baseUrl: string, request: CaseRequest): URL {
  return new URL(request.path.replace(/^\//, ""), baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
}

/** The request as bytes on the wire: its headers (a multipart body's Content-Type with its boundary) and body. */
export async function encodedRequest(request: CaseRequest): Promise<{ headers: Record<string, string>; body: Buffer }> {
  if (!request.body) return { headers: request.headers, body: Buffer.alloc(0) };
  const encoded = new Request("http://encoding.invalid/", { method: "POST", body: bodyInit(request.body) });
  const contentType = request.headers["content-type"] ?? encoded.headers.get("content-type");
  return {
    headers: { ...request.headers, ...(contentType && { "content-type": contentType }) },
    body: Buffer.from(await encoded.arrayBuffer()),
  };
}
