import {
  credentialText,
  essence,
  isJson,
  type Operation,
  parametersOf,
  placeCredential,
  requestPath,
  sentSchemesOf,
  simpleText,
} from "@contracts/spec";
import { serializeArrayParam, serializeObjectParam, serializePrimitiveParam } from "openapi-fetch";
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

/** How a parameter is written: OpenAPI's `style` and `explode` with their defaults per location. */
function styleOf(parameter: ParameterObject) {
  const style = parameter.style ?? (parameter.in === "query" || parameter.in === "cookie" ? "form" : "simple");
  return { style, explode: parameter.explode ?? style === "form", allowReserved: parameter.allowReserved === true };
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

/** `name=value` pairs of a query or cookie parameter (or a styled form field) in its style (a parameter with `content` as JSON); empty for none. */
function formPairs(
  parameter: Pick<ParameterObject, "name" | "in" | "style" | "explode" | "allowReserved" | "content">,
  value: unknown,
): string {
  if (value === undefined) return "";
  if (parameter.content) return serializePrimitiveParam(parameter.name, JSON.stringify(value), {});
  const options = styleOf(parameter) as never;
  if (Array.isArray(value)) return value.length > 0 ? serializeArrayParam(parameter.name, value, options) : "";
  if (value !== null && typeof value === "object")
    return serializeObjectParam(parameter.name, value as Record<string, unknown>, options);
  return serializePrimitiveParam(parameter.name, value as string, options);
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

/** The Content-Type a body goes with: none for multipart (fetch writes it with its boundary), a concrete type for a range. */
function contentTypeOf(mediaType: string): string | undefined {
  if (mediaType === "multipart/form-data") return undefined;
  return mediaType.includes("*") ? "application/octet-stream" : mediaType;
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
  const query = inLocation("query")
    .map((parameter) => formPairs(parameter, values.query[parameter.name]))
    .filter(Boolean);
  const cookie = inLocation("cookie")
    .map((parameter) => formPairs(parameter, values.cookie[parameter.name]).replaceAll("&", "; "))
    .filter(Boolean)
    .join("; ");
  // The Cookie header and the credentials' headers (Headers names them in lower case).
  const placed = new Headers(cookie ? { cookie } : {});
  placeRequirement(document, credentials, placed, query);
  const contentType = values.body && contentTypeOf(values.body.mediaType);
  const path = requestPath(document, operation, values.path);
  // A path a spec keys with a query of its own (OpenAI's `/responses?beta=true`) takes the rest after it.
  const separator = path.includes("?") ? "&" : "?";
  return {
    method: operation.method.toUpperCase(),
    path: `${path}${query.length > 0 ? `${separator}${query.join("&")}` : ""}`,
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

/** A value as JSON text, integers beyond 2^53 exact (see `exactInteger`). */
const jsonText = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) => {
    const exact = exactInteger(item);
    return exact === undefined ? item : rawJSON(exact);
  });

/** One value of a form field as text: an object as its JSON (OpenAPI's default for object fields), an integer exact. */
const fieldText = (value: unknown) =>
  typeof value === "object" ? jsonText(value) : (exactInteger(value) ?? String(value));

/** The fields one styled form field makes: its `name=value` pairs in its style, decoded. */
function styledFields(
  name: string,
  value: unknown,
  { style = "form", explode, allowReserved }: FieldStyle,
): [string, string][] {
  // The delimited styles write no object (openapi-fetch would drop its name): an object goes as form does.
  const objectStyle =
    typeof value === "object" && !Array.isArray(value) && style.endsWith("Delimited") ? "form" : style;
  const pairs = formPairs(
    {
      name,
      in: "query",
      style: objectStyle as ParameterObject["style"],
      explode: explode ?? objectStyle === "form",
      allowReserved,
    },
    value,
  );
  return pairs
    .split("&")
    .filter(Boolean)
    .map((pair): [string, string] => {
      const at = pair.indexOf("=");
      return [decodeURIComponent(pair.slice(0, at)), decodeURIComponent(pair.slice(at + 1))];
    });
}

/** The fields of a form body: a styled field as its `encoding` says, else each array item its own field; nothing for undefined or null. */
function fields(value: unknown, encoding: Record<string, FieldStyle> = {}): [string, string][] {
  return Object.entries((value ?? {}) as Record<string, unknown>).flatMap(([name, field]) => {
    if (field === undefined || field === null) return [];
    if (encoding[name]?.style) return styledFields(name, field, encoding[name]);
    return (Array.isArray(field) ? field : [field])
      .filter((item) => item !== undefined && item !== null)
      .map((item): [string, string] => [name, fieldText(item)]);
  });
}

/** The body as fetch sends it: JSON, a form (urlencoded or multipart), else the value as given (text, bytes). */
export function bodyInit({ mediaType, value, encoding }: CaseBody): BodyInit {
  const base = essence(mediaType);
  if (isJson(base)) return jsonText(value);
  if (base === "application/x-www-form-urlencoded") return new URLSearchParams(fields(value, encoding)).toString();
  if (base === "multipart/form-data") {
    const form = new FormData();
    for (const [name, text] of fields(value, encoding)) form.append(name, text);
    return form;
  }
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
