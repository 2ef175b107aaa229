// Media types, read once for the clients, their MSW handlers, the spec layer and every tool. Written
// by hand rather than with a parser library: whatwg-mimetype adds 4.2 kB and content-type 1.1 kB
// gzipped to a client runtime held to 3 kB (tools/testkit/src/bundle.ts), for a cut at the first `;`.

/**
 * A media type's essence: its `type/subtype`, without parameters, surrounding space or case
 * (`Application/JSON; charset=utf-8` is `application/json`); "" for none.
 */
export const essence = (mediaType: string | null | undefined): string =>
  (mediaType ?? "").split(";")[0]!.trim().toLowerCase();

/** Whether a media type is JSON: `application/json` and any `application/*+json`, parameters or not. */
export const isJson = (mediaType: string | null | undefined): boolean =>
  /^application\/(.+\+)?json$/.test(essence(mediaType));

/** Whether a media type is XML: `application/xml`, `text/xml` and any `+xml` (RFC 6839), parameters or not. */
export const isXml = (mediaType: string | null | undefined): boolean => /^[a-z]+\/(.+\+)?xml$/.test(essence(mediaType));

/**
 * The Content-Type a body of `requestType` goes with: none for multipart (fetch writes it with
 * its boundary), the Blob's own type where the spec names a range (`image/*`).
 */
export function contentTypeOf(requestType: string, body?: unknown): string | undefined {
  if (requestType === "multipart/form-data") return undefined;
  if (!requestType.includes("*")) return requestType;
  return (body instanceof Blob && body.type) || "application/octet-stream";
}
