import {
  type HeadersOptions,
  mergeHeaders,
  serializeArrayParam,
  serializeObjectParam,
  serializePrimitiveParam,
} from "openapi-fetch";
import type { OperationDetails } from "./client.ts";

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
 * exploded, when it has none): arrays repeated or delimited, objects as `key=value` pairs or
 * `name[key]=value`. Nothing is written for an undefined or null value or an empty array.
 */
export function queryString(values: Record<string, unknown>, styles: Record<string, ParameterStyle> = {}): string {
  return Object.entries(values)
    .map(([name, value]) => {
      // openapi-fetch's serializers take the styles OpenAPI defines for each shape; any other falls back to form.
      const style = (styles[name] ?? formExploded) as never;
      if (Array.isArray(value)) return value.length > 0 ? serializeArrayParam(name, value, style) : "";
      if (value !== null && typeof value === "object")
        return serializeObjectParam(name, value as Record<string, unknown>, style);
      return serializePrimitiveParam(name, value as string, style);
    })
    .filter(Boolean)
    .join("&");
}

/**
 * A multipart body from an object: a Blob as a file, an array as one part per item, an object
 * as its JSON (OpenAPI's default for object fields), anything else as its text.
 */
function formData(body: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body))
    for (const item of Array.isArray(value) ? value : [value])
      if (item !== undefined && item !== null)
        form.append(name, item instanceof Blob ? item : typeof item === "object" ? JSON.stringify(item) : String(item));
  return form;
}

/** How a body of `requestType` is written: JSON, a form, or (binary, text) as the call gives it. */
function bodySerializer(requestType: string): (body: never) => unknown {
  if (requestType === "multipart/form-data") return formData;
  if (requestType === "application/x-www-form-urlencoded") return queryString;
  // JSON as codegen and the body types tell it: `application/json` and `application/*+json`, parameters or not.
  return /^application\/(.+\+)?json($|;)/.test(requestType) ? JSON.stringify : (body) => body;
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
export function withDetails(
  { parseAs, accept, requestType, query, cookie: cookieStyles }: OperationDetails = {},
  clientHeaders: HeadersOptions | undefined,
  init: WireInit,
): WireInit {
  const contentType = requestType && contentTypeOf(requestType, init.body);
  // Form style, each pair its own cookie (`a=1; b=2`, an exploded array `a=1; a=2`).
  const cookies = init.params?.cookie && queryString(init.params.cookie, cookieStyles).replaceAll("&", "; ");
  return {
    parseAs,
    querySerializer: (values: Record<string, unknown>) => queryString(values, query),
    bodySerializer: requestType && bodySerializer(requestType),
    ...init,
    // The client's and the call's headers after these, so that theirs win (openapi-fetch sets its own first).
    headers:
      accept || contentType || cookies
        ? mergeHeaders({ accept, "content-type": contentType, cookie: cookies }, clientHeaders, init.headers)
        : init.headers,
  };
}
