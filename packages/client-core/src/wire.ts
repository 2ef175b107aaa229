import {
  type HeadersOptions,
  mergeHeaders,
  serializeArrayParam,
  serializeObjectParam,
  serializePrimitiveParam,
} from "openapi-fetch";
import type { OperationDetails } from "./client.ts";
import { isJson } from "./media.ts";

/** How a query or cookie parameter is written (OpenAPI's `style`, `explode` and `allowReserved`), as openapi-fetch's serializers take it. */
export interface ParameterStyle {
  style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  explode: boolean;
  allowReserved?: boolean;
}

/** OpenAPI's default for query parameters and form fields. */
const formExploded: ParameterStyle = { style: "form", explode: true };

/**
 * A query string (or a form-urlencoded body) from `values`, each written in its style (form,
 * exploded, when it has none): arrays repeated or delimited, objects as `key=value` pairs,
 * `name[key]=value` or a delimited list of keys and values. Nothing is written for an undefined
 * or null value or an empty array.
 */
export function queryString(values: Record<string, unknown>, styles: Record<string, ParameterStyle> = {}): string {
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

/** The form media types, whose bodies a call gives as an object (written by forms.ts). */
const formTypes = ["multipart/form-data", "application/x-www-form-urlencoded"];

/**
 * How a body of `requestType` is written: JSON, a form (its code loaded only for a call that
 * sends one, so apps without forms never load it), or (binary, text) as the call gives it.
 */
async function bodySerializer(details: OperationDetails & { requestType: string }): Promise<(body: never) => unknown> {
  if (formTypes.includes(details.requestType))
    return (await import("./forms.ts")).formSerializer(details, { queryString, isJson });
  return isJson(details.requestType) ? JSON.stringify : (body) => body;
}

/**
 * The Content-Type a body of `requestType` goes with: none for multipart (fetch writes it with
 * its boundary), the Blob's own type where the spec names a range (`image/*`).
 */
function contentTypeOf(requestType: string, body: unknown): string | undefined {
  if (requestType === "multipart/form-data") return undefined;
  if (!requestType.includes("*")) return requestType;
  return (body instanceof Blob && body.type) || "application/octet-stream";
}

/** What a call passes to openapi-fetch that the details bear on. */
interface WireInit {
  body?: unknown;
  headers?: HeadersOptions;
  params?: { cookie?: Record<string, unknown> };
  [option: string]: unknown;
}

/**
 * The call's options for openapi-fetch with the operation's details applied: its body written
 * and read in the spec's media types, its Accept header, its query parameters in their styles,
 * its cookie parameters (which openapi-fetch does not send) as the Cookie header. What the client
 * or the call passes itself (`parseAs`, a serializer, a header, a Cookie header) wins.
 */
export async function withDetails(
  details: OperationDetails = {},
  clientHeaders: HeadersOptions | undefined,
  init: WireInit,
): Promise<WireInit> {
  const { parseAs, accept, requestType, query, cookie: cookieStyles } = details;
  const contentType = requestType && contentTypeOf(requestType, init.body);
  // Form style, each pair its own cookie (`a=1; b=2`, an exploded array `a=1; a=2`).
  const cookies = init.params?.cookie && queryString(init.params.cookie, cookieStyles).replaceAll("&", "; ");
  return {
    parseAs,
    querySerializer: (values: Record<string, unknown>) => queryString(values, query),
    bodySerializer: requestType && (await bodySerializer({ ...details, requestType })),
    ...init,
    // The client's and the call's headers after these, so that theirs win (openapi-fetch sets its own first).
    headers:
      accept || contentType || cookies
        ? mergeHeaders({ accept, "content-type": contentType, cookie: cookies }, clientHeaders, init.headers)
        : init.headers,
  };
}
