/**
 * Parameters as Prism 5.16 reads them. Prism's validators deserialize each parameter by its
 * `style` and `explode`, with gaps this module bridges, on both sides: the operation (how a
 * parameter is described to Prism) and the request (how its value is handed over).
 */
import { createRequire } from "node:module";
import type { IPrismDiagnostic } from "@stoplight/prism-core";
import type { IHttpRequest } from "@stoplight/prism-http";
import { HttpParamStyles, type IHttpOperation, type IHttpParam } from "@stoplight/types";

const delimiters: Partial<Record<HttpParamStyles, string>> = {
  [HttpParamStyles.SpaceDelimited]: " ",
  [HttpParamStyles.PipeDelimited]: "|",
};

const schemaType = (parameter: IHttpParam) => (parameter.schema as { type?: unknown } | undefined)?.type;

/**
 * Prism reads a parameter without `explode` as not exploded, where OpenAPI's default is true for
 * the form style: `?tag=a&tag=b` would be `[b]`. Delimited query styles it splits on a literal
 * `%20` and refuses for objects (a 500): they reach it as form, not exploded, with the delimiter
 * turned into commas by `readableRequest`.
 */
function readable<P extends IHttpParam>(parameter: P): P {
  if (delimiters[parameter.style])
    return { ...parameter, style: HttpParamStyles.Form, explode: parameter.explode ?? false };
  return { ...parameter, explode: parameter.explode ?? parameter.style === HttpParamStyles.Form };
}

/** The operation with each parameter described so that Prism reads it as OpenAPI says. */
export function readableParameters(operation: IHttpOperation): IHttpOperation {
  const { request } = operation;
  if (!request) return operation;
  return {
    ...operation,
    request: {
      ...request,
      ...(request.path && { path: request.path.map(readable) }),
      ...(request.query && { query: request.query.map(readable) }),
      ...(request.headers && { headers: request.headers.map(readable) }),
      ...(request.cookie && { cookie: request.cookie.map(readable) }),
    },
  };
}

/** The query value of a delimited parameter with its delimiter as commas (see `readable`). */
function commaSeparated(operation: IHttpOperation, query: IHttpRequest["url"]["query"]) {
  const delimited = new Map(
    (operation.request?.query ?? []).flatMap((parameter) => {
      const delimiter = delimiters[parameter.style];
      return delimiter ? [[parameter.name, delimiter] as const] : [];
    }),
  );
  if (!query || delimited.size === 0) return query;
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => {
      const delimiter = delimited.get(name);
      const joined = (text: string) => (delimiter ? text.split(delimiter).join(",") : text);
      return [name, Array.isArray(value) ? value.map(joined) : joined(value)];
    }),
  );
}

/** A header list may have blanks around its commas (`a, b`, as Node joins a repeated header); Prism's split keeps them. */
function withoutListBlanks(operation: IHttpOperation, headers: IHttpRequest["headers"]) {
  const lists = new Set(
    (operation.request?.headers ?? [])
      .filter((parameter) => ["array", "object"].includes(String(schemaType(parameter))))
      .map((parameter) => parameter.name.toLowerCase()),
  );
  if (!headers || lists.size === 0) return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, lists.has(name) ? value.replace(/\s*,\s*/g, ",") : value]),
  );
}

/**
 * The request as Prism reads it for `operation` (the one its method and path route to). Commas
 * in the path are escaped: Prism's path-template matcher splits a value at them into a list, which
 * its style readers then fail on (a 500); escaped, each value reaches the reader whole.
 */
export function readableRequest(request: IHttpRequest, operation: IHttpOperation | undefined): IHttpRequest {
  const path = request.url.path.replaceAll(",", "%2C");
  if (!operation) return { ...request, url: { ...request.url, path } };
  return {
    ...request,
    url: { ...request.url, path, query: commaSeparated(operation, request.url.query) },
    headers: withoutListBlanks(operation, request.headers),
  };
}

/** The cookies of a `Cookie` header, each name with every value it was given, in order. */
function cookiesOf(header: string | undefined): Map<string, string[]> {
  const cookies = new Map<string, string[]>();
  for (const pair of (header ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    cookies.set(name, [...(cookies.get(name) ?? []), value]);
  }
  return cookies;
}

// Prism's own parameter validator and `simple` readers, which its validation never calls for cookies.
const prismRequire = createRequire(createRequire(import.meta.url).resolve("@stoplight/prism-http"));
const { validateParams } = prismRequire("./validator/validators/params") as {
  validateParams: (
    target: Record<string, string>,
    specs: IHttpParam[],
    context: number,
    bundle: unknown,
  ) => (options: {
    deserializers: unknown;
    prefix: string;
    defaultStyle: string;
  }) => { _tag: "Left"; left: IPrismDiagnostic[] } | { _tag: "Right" };
};
const { header: simpleReaders } = prismRequire("./validator/deserializers") as { header: unknown };
const requestContext = 0; // Prism's ValidationContext.Input

/**
 * What is wrong with the request's cookie parameters, which Prism does not check at all: each
 * cookie read as a `simple` value (a list `a,b`, an object `k,v,k,v`, or exploded `k=v,k=v`
 * from one cookie per property) and validated by Prism's own parameter validator.
 */
export function cookieDiagnostics(request: IHttpRequest, operation: IHttpOperation | undefined): IPrismDiagnostic[] {
  const specs = operation?.request?.cookie ?? [];
  if (specs.length === 0) return [];
  const cookies = cookiesOf(request.headers?.cookie);
  const target: Record<string, string> = {};
  for (const spec of specs) {
    const properties = Object.keys((spec.schema as { properties?: object } | undefined)?.properties ?? {});
    const values =
      schemaType(spec) === "object" && spec.explode
        ? properties.flatMap((property) => (cookies.get(property) ?? []).map((value) => `${property}=${value}`))
        : (cookies.get(spec.name) ?? []);
    if (values.length > 0) target[spec.name.toLowerCase()] = values.join(",");
  }
  const bundle = (operation as { __bundled__?: unknown }).__bundled__;
  const readAs = specs.map((spec) => ({ ...spec, style: HttpParamStyles.Simple }));
  const result = validateParams(
    target,
    readAs,
    requestContext,
    bundle,
  )({ deserializers: simpleReaders, prefix: "cookie", defaultStyle: HttpParamStyles.Simple });
  return result._tag === "Left" ? result.left : [];
}
