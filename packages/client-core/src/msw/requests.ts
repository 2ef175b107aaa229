/**
 * What is wrong with a request, as the Prism mocks find it: missing or malformed credentials, and
 * parameters and a JSON body that break their schemas (by the package's precompiled checks), in
 * Prism's words, so that both mocks tell a caller the same.
 */

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
function carries(request: Request, url: URL, cookies: Record<string, string>, scheme: MockScheme): boolean {
  if (scheme.in === "query") return Boolean(url.searchParams.get(scheme.name));
  if (scheme.in === "cookie") return Boolean(cookies[scheme.name]);
  const value = request.headers.get(scheme.name);
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
  url: URL,
  cookies: Record<string, string>,
): string[] {
  const requirements = operation.security;
  if (requirements.length === 0) return [];
  const met = requirements.some((requirement) =>
    // As Prism: an empty requirement (`- {}`, none needed) is met only by a request without `Authorization`.
    requirement.length === 0
      ? !request.headers.has("authorization")
      : requirement.every((name) => carries(request, url, cookies, api.schemes[name]!)),
  );
  return met ? [] : ["Invalid security scheme used"];
}

/** The defaults of OpenAPI's parameter serialization (style and explode per location). */
const defaultStyles: Record<MockParameter["in"], string> = {
  path: "simple",
  query: "form",
  header: "simple",
  cookie: "form",
};
const delimiters: Record<string, string> = { form: ",", simple: ",", spaceDelimited: " ", pipeDelimited: "|" };

/** One parameter's value as its schema sees it: a list split by its style, an object from `deepObject`, else the text. */
function parameterValue(parameter: MockParameter, values: string[], query: URLSearchParams): unknown {
  const style = parameter.style ?? defaultStyles[parameter.in];
  const explode = parameter.explode ?? style === "form";
  if (parameter.shape === "object" && style === "deepObject") {
    const prefix = `${parameter.name}[`;
    const members: Record<string, string> = {};
    query.forEach((value, key) => {
      if (key.startsWith(prefix) && key.endsWith("]")) members[key.slice(prefix.length, -1)] = value;
    });
    return Object.keys(members).length === 0 ? undefined : members;
  }
  if (values.length === 0) return undefined;
  if (parameter.shape !== "array") return values[0];
  if (explode && parameter.in === "query") return values;
  return values.flatMap((value) => value.split(delimiters[style] ?? ","));
}

function valuesIn(
  parameter: MockParameter,
  request: Request,
  url: URL,
  pathValues: Record<string, string>,
  cookies: Record<string, string>,
): string[] {
  switch (parameter.in) {
    case "path":
      return [pathValues[parameter.name]!];
    case "query":
      return url.searchParams.getAll(parameter.name);
    case "header": {
      const value = request.headers.get(parameter.name);
      return value === null ? [] : [value];
    }
    case "cookie":
      return parameter.name in cookies ? [cookies[parameter.name]!] : [];
  }
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
  cookies: Record<string, string>,
): string[] {
  const locations = [...new Set(operation.parameters.map((parameter) => parameter.in))];
  return locations.flatMap((location) => {
    const values: Record<string, unknown> = {};
    for (const parameter of operation.parameters.filter((candidate) => candidate.in === location)) {
      const value = parameterValue(parameter, valuesIn(parameter, request, url, pathValues, cookies), url.searchParams);
      if (value !== undefined) values[location === "header" ? parameter.name.toLowerCase() : parameter.name] = value;
    }
    const errors = api.checks.requestViolationsOf(operation.method, operation.path, location, values);
    return describeErrors(location, errors);
  });
}

/** How a JSON body (parsed; undefined when none came) breaks the operation's request body schema. */
export function bodyViolations(api: MockDescription, operation: MockOperation, body: unknown): string[] {
  if (!operation.body) return [];
  // As Prism: a required body that is `null`, `false`, `0` or empty counts as missing; an optional `null` as none.
  if (operation.body.required && !body) return ["Body parameter is required (required)"];
  if (body === undefined || body === null) return [];
  return describeErrors("body", api.checks.requestViolationsOf(operation.method, operation.path, "body", body));
}
