/**
 * Parameters as Prism 5.16 reads them. Prism's validators deserialize each parameter by its
 * `style` and `explode`, with gaps this module bridges on both sides: the operation (how a
 * parameter is described to Prism) and the request (how its value is handed over). What Prism
 * cannot read at all (cookies; header lists and objects; a query value given empty) is checked
 * here, by Prism's own validators: `parameterDiagnostics`.
 */
import { createRequire } from "node:module";
import { cookiePairs, isIgnoredHeader, listDelimiters } from "@contracts/spec";
import type { IPrismDiagnostic } from "@stoplight/prism-core";
import type { IHttpRequest } from "@stoplight/prism-http";
import { HttpParamStyles, type IHttpOperation, type IHttpParam } from "@stoplight/types";

/** The delimiter of a query parameter described to Prism as form (see `readable`), by its description. */
const delimiterOf = new WeakMap<IHttpParam, string>();

/**
 * Prism reads a parameter without `explode` as not exploded, where OpenAPI's default is true for
 * the form style: `?tag=a&tag=b` would be `[b]`. Delimited query styles it splits on a literal
 * `%20` and refuses for objects (a 500): they reach it as form, not exploded, with the delimiter
 * turned into commas by `readableRequest`.
 */
function readable<P extends IHttpParam>(parameter: P): P {
  const delimiter = listDelimiters[parameter.style];
  if (!delimiter) return { ...parameter, explode: parameter.explode ?? parameter.style === HttpParamStyles.Form };
  const asForm = { ...parameter, style: HttpParamStyles.Form, explode: parameter.explode ?? false };
  delimiterOf.set(asForm, delimiter);
  return asForm;
}

const isList = (parameter: IHttpParam) =>
  ["array", "object"].includes(String((parameter.schema as { type?: unknown } | undefined)?.type));

/** The parameters `parameterDiagnostics` checks for an operation: those Prism gets without, and its query values. */
const checkedHere = new WeakMap<
  IHttpOperation,
  { headers: IHttpParam[]; cookies: IHttpParam[]; scalarQuery: IHttpParam[]; listQuery: IHttpParam[] }
>();

/**
 * The operation with each parameter described so that Prism reads it as OpenAPI says. Header
 * lists and objects are left out: Prism's reader throws on one that is absent (a 500); they are
 * checked by `parameterDiagnostics`, with the cookies, which Prism never reads. The headers OpenAPI
 * says to ignore are left out too, as the spec layer reads them: Prism held fetch's default
 * `Accept` to a documented `Accept` parameter's enum, refusing every call that sent none.
 */
export function readableParameters(operation: IHttpOperation): IHttpOperation {
  const { request } = operation;
  if (!request) return operation;
  const headers = (request.headers ?? []).filter((header) => !isIgnoredHeader(header.name)).map(readable);
  const readableOperation = {
    ...operation,
    request: {
      ...request,
      ...(request.path && { path: request.path.map(readable) }),
      ...(request.query && { query: request.query.map(readable) }),
      ...(request.headers && { headers: headers.filter((header) => !isList(header)) }),
      cookie: [],
    },
  };
  checkedHere.set(readableOperation, {
    headers: headers.filter(isList),
    cookies: (request.cookie ?? []).map(readable),
    // `allowEmptyValue` (deprecated) lets a parameter be sent empty: Prism's reading of it stands.
    scalarQuery: (request.query ?? []).filter((parameter) => !isList(parameter) && !parameter.allowEmptyValue),
    listQuery: (request.query ?? []).filter((parameter) => isList(parameter) && !parameter.allowEmptyValue),
  });
  return readableOperation;
}

/** The query value of a delimited parameter with its delimiter as commas (see `readable`). */
function commaSeparated(operation: IHttpOperation, query: IHttpRequest["url"]["query"]) {
  const delimited = new Map(
    (operation.request?.query ?? []).flatMap((parameter) => {
      const delimiter = delimiterOf.get(parameter);
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

/**
 * The request as Prism reads it for `operation` (the one its method and path route to). Commas
 * in the path are escaped: Prism's path-template matcher splits a value at them into a list, which
 * its style readers then fail on (a 500); escaped, each value reaches the reader whole.
 */
export function readableRequest(request: IHttpRequest, operation: IHttpOperation | undefined): IHttpRequest {
  const path = request.url.path.replaceAll(",", "%2C");
  const query = operation ? commaSeparated(operation, request.url.query) : request.url.query;
  return { ...request, url: { ...request.url, path, query } };
}

/**
 * Each cookie parameter's value as a `simple` one: a list `a,b` (a repeated cookie joined), an
 * object `k,v,k,v`, or, exploded, `k=v,k=v` from one cookie per property.
 */
function cookieValues(specs: IHttpParam[], header: string | undefined): Record<string, string> {
  const cookies = new Map<string, string[]>();
  for (const [name, value] of cookiePairs(header)) cookies.set(name, [...(cookies.get(name) ?? []), value]);
  const values: Record<string, string> = {};
  for (const spec of specs) {
    const properties = Object.keys((spec.schema as { properties?: object } | undefined)?.properties ?? {});
    const given =
      isList(spec) && spec.explode && properties.length > 0
        ? properties.flatMap((property) => (cookies.get(property) ?? []).map((value) => `${property}=${value}`))
        : (cookies.get(spec.name) ?? []);
    if (given.length > 0) values[spec.name.toLowerCase()] = given.join(",");
  }
  return values;
}

type Reader = (name: string, values: Record<string, string>, schema: unknown, explode: boolean) => unknown;

// Prism's own parameter validator and `simple` reader.
const prismRequire = createRequire(createRequire(import.meta.url).resolve("@stoplight/prism-http"));
const { validateParams } = prismRequire("./validator/validators/params") as {
  validateParams: (
    target: Record<string, string>,
    specs: IHttpParam[],
    context: number,
    bundle: unknown,
  ) => (options: {
    deserializers: Record<string, Reader>;
    prefix: string;
    defaultStyle: string;
  }) => { _tag: "Left"; left: IPrismDiagnostic[] } | { _tag: "Right" };
};
const { simple } = (prismRequire("./validator/deserializers") as { header: { simple: Reader } }).header;
const { validateAgainstSchema } = prismRequire("./validator/validators/utils") as {
  validateAgainstSchema: (
    value: unknown,
    schema: object,
    coerce: boolean,
    context: number,
    prefix: string,
    bundle: unknown,
  ) => { _tag: "None" } | { _tag: "Some"; value: IPrismDiagnostic[] };
};
const requestContext = 0; // Prism's ValidationContext.Input

/** Prism's `simple` reader, for a value that is there only, and blind to blanks around commas (`a, b`, as Node joins a repeated header). */
const readers: Record<string, Reader> = {
  [HttpParamStyles.Simple]: (name, values, schema, explode) =>
    values[name] === undefined
      ? undefined
      : simple(name, { ...values, [name]: values[name].replace(/\s*,\s*/g, ",") }, schema, explode),
};

function validated(specs: IHttpParam[], values: Record<string, string>, prefix: string, bundle: unknown) {
  if (specs.length === 0) return [];
  const asSimple = specs.map((spec) => ({ ...spec, style: HttpParamStyles.Simple }));
  const result = validateParams(
    values,
    asSimple,
    requestContext,
    bundle,
  )({ deserializers: readers, prefix, defaultStyle: HttpParamStyles.Simple });
  return result._tag === "Left" ? result.left : [];
}

/**
 * What is wrong with the request's parameters Prism does not check (see `readableParameters`):
 * its header lists and objects and its cookies, each validated by Prism's own parameter validator
 * and worded as Prism words the others (`Request cookie parameter session must be integer`); and
 * a query value given empty (`?sid=`), which Prism's form reader takes for no value at all, so that
 * an empty text passed a `pattern` or `minLength` and an empty number its type.
 */
export function parameterDiagnostics(request: IHttpRequest, operation: IHttpOperation | undefined): IPrismDiagnostic[] {
  const checked = operation && checkedHere.get(operation);
  if (!checked) return [];
  const bundle = (operation as { __bundled__?: unknown }).__bundled__;
  return [
    ...validated(checked.headers, request.headers ?? {}, "header", bundle),
    ...validated(checked.cookies, cookieValues(checked.cookies, request.headers?.cookie), "cookie", bundle),
    ...checked.scalarQuery
      .filter((parameter) => request.url.query?.[parameter.name] === "" && parameter.schema)
      .flatMap(({ name, schema }) => schemaDiagnostics(name, "", schema, bundle)),
    // So it drops a list's only item given empty (`?ids=`): Discord's snowflake lists let "" past their pattern.
    ...checked.listQuery
      .filter((parameter) => request.url.query?.[parameter.name] === "" && parameter.schema)
      .flatMap(({ name, schema }) => schemaDiagnostics(name, [""], schema, bundle)),
  ];
}

/** What a parameter's schema finds wrong with `value`, asked directly: Prism's parameter validator drops an empty value as it reads it. */
function schemaDiagnostics(name: string, value: unknown, schema: unknown, bundle: unknown): IPrismDiagnostic[] {
  const found = validateAgainstSchema(
    { [name]: value },
    { type: "object", properties: { [name]: schema } } as Parameters<typeof validateAgainstSchema>[1],
    true,
    requestContext,
    "query",
    bundle as Parameters<typeof validateAgainstSchema>[5],
  );
  return found._tag === "Some" ? [...found.value] : [];
}
