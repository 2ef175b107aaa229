/**
 * What is wrong with a request, as the Prism mocks find it: missing or malformed credentials, and
 * parameters and a JSON body that break their schemas (by the package's precompiled checks), in
 * Prism's words, so that both mocks tell a caller the same.
 */

import { sentCredential } from "../credential-wire.ts";
import { cookiePairs, fromText, styleOf } from "../styles.ts";
import type { MockDescription, MockOperation, MockParameter, MockScheme, SchemaError } from "./description.ts";

/** A rejection's cause: credentials (401) or the request's contents (422 or 400). */
export interface Violations {
  credentials: string[];
  request: string[];
}

const base64Decodes = (text: string) => {
  try {
    return atob(text).split(":").length === 2;
  } catch {
    return false;
  }
};

/** Whether the request carries a credential for the scheme, as Prism's security checks decide it. */
function carries(request: Request, cookies: Record<string, string>, scheme: MockScheme): boolean {
  const value = sentCredential(request, scheme, cookies);
  if (!value) return false;
  if (scheme.scheme === "bearer") return /^Bearer\s.+$/.test(value);
  if (scheme.scheme === "basic") {
    const [word = "", token] = value.split(" ");
    return word.toLowerCase() === "basic" && token !== undefined && base64Decodes(token);
  }
  return true;
}

/** The credential violation, if none of the operation's requirements is met. */
export function credentialViolations(
  api: MockDescription,
  operation: MockOperation,
  request: Request,
  cookies: Record<string, string>,
): string[] {
  const requirements = operation.security;
  if (requirements.length === 0) return [];
  const met = requirements.some((requirement) =>
    // As Prism: an empty requirement (`- {}`, none needed) is met only by a request without `Authorization`.
    requirement.length === 0
      ? !request.headers.has("authorization")
      : requirement.every((name) => carries(request, cookies, api.schemes[name]!)),
  );
  return met ? [] : ["Invalid security scheme used"];
}

/**
 * One parameter's value as its schema sees it, read by its style and explode as OpenAPI serializes
 * them (a list, an object, else the text); undefined where the request does not carry it.
 */
function parameterValue(
  parameter: MockParameter,
  operation: MockOperation,
  request: Request,
  url: URL,
  pathValues: Record<string, string>,
): unknown {
  const written = styleOf(parameter);
  const { style, explode } = written;
  const { name } = parameter;
  if (parameter.in === "path") return fromText(parameter, written, pathValues[name]!);
  if (parameter.in === "header") {
    const value = request.headers.get(name);
    return value === null ? undefined : fromText(parameter, written, value);
  }
  if (parameter.in === "query" && parameter.shape === "object" && (style === "deepObject" || explode)) {
    // deepObject: `name[key]=value`; an exploded form object: its members are the query's other keys.
    const declared = new Set(operation.parameters.filter((other) => other.in === "query").map((other) => other.name));
    const members: Record<string, string> = {};
    url.searchParams.forEach((value, key) => {
      if (style === "deepObject" && key.startsWith(`${name}[`) && key.endsWith("]"))
        members[key.slice(name.length + 1, -1)] = value;
      if (style !== "deepObject" && !declared.has(key)) members[key] = value;
    });
    return Object.keys(members).length === 0 ? undefined : members;
  }
  const values =
    parameter.in === "cookie"
      ? cookiePairs(request.headers.get("cookie")).flatMap(([cookie, value]) => (cookie === name ? [value] : []))
      : url.searchParams.getAll(name);
  if (values.length === 0) return undefined;
  if (parameter.shape === "array" && explode && style === "form") return values;
  return fromText(parameter, written, values[0]!);
}

/**
 * Ajv's errors in Prism's words (`Request body property body.name must match pattern "..."`),
 * each followed by its rule, as the Prism mocks' answers name it.
 */
function describeErrors(part: "body" | MockParameter["in"], errors: SchemaError[]): string[] {
  return errors.map(({ instancePath, keyword, message = "", params }) => {
    const path = instancePath.split("/").filter((segment) => segment !== "");
    const placed = path.length > 0 ? `${part === "body" ? "property" : "parameter"} ${path.join(".")} ` : "";
    const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.join(", ")}` : "";
    const additional = "additionalProperty" in params ? `; found '${String(params.additionalProperty)}'` : "";
    return `Request ${part} ${placed}${message}${allowed}${additional} (${keyword})`;
  });
}

/** How the request's parameters break their schemas, location by location. */
export function parameterViolations(
  api: MockDescription,
  operation: MockOperation,
  request: Request,
  url: URL,
  pathValues: Record<string, string>,
): string[] {
  const locations = [...new Set(operation.parameters.map((parameter) => parameter.in))];
  return locations.flatMap((location) => {
    const values: Record<string, unknown> = {};
    for (const parameter of operation.parameters.filter((candidate) => candidate.in === location)) {
      const value = parameterValue(parameter, operation, request, url, pathValues);
      if (value !== undefined) values[location === "header" ? parameter.name.toLowerCase() : parameter.name] = value;
    }
    const errors = api.checks.requestViolationsOf(operation.method, operation.path, location, values);
    return describeErrors(location, errors);
  });
}

/** How a JSON body or a form's fields (undefined when no body came) break the operation's request body schema. */
export function bodyViolations(
  api: MockDescription,
  operation: MockOperation,
  body: unknown,
  checked: "body" | "form" = "body",
): string[] {
  if (!operation.body) return [];
  // As the Prism mocks: only an empty body is none; JSON `null`, `false` or `0` is a body, held to its schema.
  if (body === undefined) return operation.body.required ? ["Body parameter is required (required)"] : [];
  return describeErrors("body", api.checks.requestViolationsOf(operation.method, operation.path, checked, body));
}
