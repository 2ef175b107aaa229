import { type HeadersOptions, mergeHeaders } from "openapi-fetch";
import type { OperationDetails } from "./client.ts";
import { contentTypeOf, isJson } from "./media.ts";
import { cookieHeader, queryString, type Style } from "./styles.ts";

/** How a query or cookie parameter is written (OpenAPI's `style`, `explode` and `allowReserved`), as openapi-fetch's serializers take it. */
export interface ParameterStyle extends Style {
  style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
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
  const cookies = init.params?.cookie && cookieHeader(init.params.cookie, cookieStyles);
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
