// Parameters on the wire, in OpenAPI's styles, written and read in one place: the client writes its
// query, cookies and forms with it, and the cases, the MSW mocks and the Prism front (through the
// spec layer) write and read them with it.
import { serializeArrayParam, serializeObjectParam, serializePrimitiveParam } from "openapi-fetch";

/** Where a parameter travels. */
export type Location = "path" | "query" | "header" | "cookie";

/** How a value is written: OpenAPI's `style`, `explode` and `allowReserved`. */
export interface Style {
  style: string;
  explode: boolean;
  allowReserved?: boolean;
}

/**
 * Whether a form field's Encoding Object styles it: any of `style`, `explode` and `allowReserved`
 * given (OpenAPI then sets its `contentType` aside and writes the field as a query parameter).
 */
export const stylesField = (encoding: { style?: unknown; explode?: unknown; allowReserved?: unknown }): boolean =>
  encoding.style !== undefined || encoding.explode !== undefined || encoding.allowReserved !== undefined;

/**
 * A parameter's style with OpenAPI's defaults: `form` in the query and cookies (and for a form
 * field, which is written as a query parameter), `simple` in the path and headers; exploded for
 * `form` only; reserved characters encoded.
 */
export function styleOf({
  in: location,
  style,
  explode,
  allowReserved,
}: {
  in: Location;
  style?: string;
  explode?: boolean;
  allowReserved?: boolean;
}): Required<Style> {
  const written = style ?? (location === "query" || location === "cookie" ? "form" : "simple");
  return { style: written, explode: explode ?? written === "form", allowReserved: allowReserved === true };
}

/** What separates a list's items in a value written in one piece, by style (`,` for the others). */
export const listDelimiters: Record<string, string> = { spaceDelimited: " ", pipeDelimited: "|" };

/** OpenAPI's default for query parameters and form fields. */
const formExploded: Style = { style: "form", explode: true };

/**
 * A query string (or a form-urlencoded body) from `values`, each written in its style (form,
 * exploded, when it has none): arrays repeated or delimited, objects as `key=value` pairs,
 * `name[key]=value` or a delimited list of keys and values. Nothing is written for an undefined
 * or null value or an empty array.
 */
export function queryString(values: Record<string, unknown>, styles: Record<string, Style> = {}): string {
  return Object.entries(values)
    .map(([name, value]) => {
      const style = styles[name] ?? formExploded;
      // openapi-fetch's serializers take the styles OpenAPI defines for each shape; any other falls back to form.
      const options = style as never;
      if (Array.isArray(value)) return value.length > 0 ? serializeArrayParam(name, value, options) : "";
      if (value !== null && typeof value === "object")
        // openapi-fetch writes a delimited object without its name; OpenAPI writes it `name=key value key value`.
        return style.style.endsWith("Delimited") && !style.explode
          ? serializeArrayParam(name, Object.entries(value).flat(), options)
          : serializeObjectParam(name, value as Record<string, unknown>, options);
      return serializePrimitiveParam(name, value as string, options);
    })
    .filter(Boolean)
    .join("&");
}

/** A value in OpenAPI's simple style (a path segment, a header) before percent-encoding: `a,b` for an array, `k,v` for an object. */
export function simpleText(name: string, value: unknown, explode = false): string {
  const options = { style: "simple" as const, explode, allowReserved: true };
  if (Array.isArray(value)) return serializeArrayParam(name, value, options);
  if (typeof value === "object" && value !== null)
    return serializeObjectParam(name, value as Record<string, unknown>, options);
  return String(value);
}

/** A Cookie header from `values`, each in its style (form): each pair its own cookie (`a=1; b=2`, an exploded list `a=1; a=2`). */
export const cookieHeader = (values: Record<string, unknown>, styles?: Record<string, Style>): string =>
  queryString(values, styles).replaceAll("&", "; ");

/** The pairs of a Cookie header, in order (a name repeats for an exploded list), each value percent-decoded where it can be. */
export function cookiePairs(header: string | null | undefined): [name: string, value: string][] {
  return (header ?? "").split(";").flatMap((pair) => {
    const at = pair.indexOf("=");
    return at < 0 ? [] : [[pair.slice(0, at).trim(), decoded(pair.slice(at + 1).trim())]];
  });
}

/** `text` percent-decoded; as it is where it is no valid percent-encoding (as browsers and the `cookie` package read cookies). */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `k=v` pairs, or `k,v,k2,v2` alternating, as an object. */
function objectOf(items: string[], pairs: boolean): Record<string, string> {
  if (pairs) return Object.fromEntries(items.map((item) => [item.split("=")[0]!, item.slice(item.indexOf("=") + 1)]));
  const members: Record<string, string> = {};
  for (let index = 0; index + 1 < items.length; index += 2) members[items[index]!] = items[index + 1]!;
  return members;
}

/**
 * A value written in one piece (a path segment, a header, a non-exploded query or cookie value),
 * read by its style: a list or an object where the parameter's `shape` is one, else the text.
 */
export function fromText(
  parameter: { name: string; shape?: "array" | "object" },
  { style, explode }: Style,
  text: string,
): unknown {
  let body = text;
  let delimiter = listDelimiters[style] ?? ",";
  if (style === "label") {
    body = text.replace(/^\./, "");
    if (explode) delimiter = ".";
  } else if (style === "matrix") {
    body = text.replace(/^;/, "");
    if (explode && parameter.shape !== undefined) delimiter = ";";
    if (!(explode && parameter.shape === "object")) {
      const prefix = `${parameter.name}=`;
      body = body
        .split(delimiter)
        .map((item) => (item.startsWith(prefix) ? item.slice(prefix.length) : item))
        .join(delimiter);
    }
  }
  if (parameter.shape === "array") return body === "" ? [] : body.split(delimiter);
  if (parameter.shape === "object") return objectOf(body.split(delimiter), explode);
  return body;
}
