import { constants as bufferConstants } from "node:buffer";
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from "node:zlib";
import { essence, isJson, isXml } from "@contracts/spec";
import type { IHttpNameValues, IHttpRequest } from "@stoplight/prism-http";
import type { HttpMethod, IHttpOperation } from "@stoplight/types";
import { readableFormRequest } from "./forms.ts";
import { exactIntegerText, parseJson } from "./integers.ts";
import { readableRequest } from "./parameters.ts";

/** Headers as Prism reads them: lower-case names, one string each (repeated ones joined by `, `). */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), [value].flat().join(", ")]],
    ),
  );
}

/** The query as Prism's own server hands it over: a parameter given once as a string, a repeated one as a list. */
function queryOf(searchParams: URLSearchParams): IHttpNameValues {
  return Object.fromEntries(
    [...new Set(searchParams.keys())].map((name) => {
      const values = searchParams.getAll(name).map(exactIntegerText);
      return [name, values.length === 1 ? values[0]! : values];
    }),
  );
}

/** A request as it arrived: the method, the target (path and query string), the headers and the parsed body. */
export interface ArrivedRequest {
  method: string;
  /** Path and query string, e.g. `/v1/orgs/acme?dryRun=true`. */
  target: string;
  headers: IncomingHttpHeaders;
  /** The body as `parseBody` reads it; undefined or null for none. */
  body: unknown;
}

/**
 * Prism's request for one that arrived, its parameters and form body as Prism reads them for
 * `operation`, the one it routes to; rejects with UnreadableForm for a form body that does not parse.
 */
export function prismRequest(request: ArrivedRequest, operation?: IHttpOperation): Promise<IHttpRequest> {
  const { pathname, searchParams } = new URL(request.target, "http://placeholder");
  const arrived: IHttpRequest = {
    method: request.method.toLowerCase() as HttpMethod,
    url: { path: pathname.split("/").map(exactIntegerText).join("/"), query: queryOf(searchParams) },
    headers: flatHeaders(request.headers),
    body: request.body ?? null,
  };
  return readableFormRequest(readableRequest(arrived, operation), operation);
}

/** A body over the reader's limit: the mock answers 413. */
export class BodyTooLarge extends Error {
  constructor(limit: number, declared?: number) {
    super(`request body ${declared === undefined ? "" : `of ${declared} bytes `}is over the limit of ${limit} bytes`);
    this.name = "BodyTooLarge";
  }
}

/**
 * The bytes of a request's body. Over `limit` bytes (declared, or as they stream in) it rejects
 * with BodyTooLarge at once; the rest is read and dropped, so an answer can still go out.
 */
export function readBytes(request: IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge(limit, declared));
  // Events rather than `for await`: leaving that loop early would destroy the socket before the answer is sent.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return chunks.push(chunk);
      request.removeAllListeners("data").resume();
      reject(new BodyTooLarge(limit));
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

const decoders: Record<string, (body: Buffer, options: ZlibOptions) => Buffer> = {
  gzip: gunzipSync,
  "x-gzip": gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Media types whose bodies are text: JSON, XML, forms, `text/*`, and a body that names none. */
const isTextMediaType = (mediaType: string) =>
  mediaType === "" ||
  mediaType.startsWith("text/") ||
  isJson(mediaType) ||
  isXml(mediaType) ||
  mediaType === "application/x-www-form-urlencoded";

/**
 * A body as Prism's validators read it: decoded as its `content-encoding` says (at most `limit`
 * bytes), JSON parsed when its media type is JSON, else text; undefined when empty. Bytes that are
 * not what the headers promise still give a value (the text, which the schema check then
 * refuses) and a `problem` saying why, e.g. `is not valid JSON: ...`.
 */

export function parseBody(
  bytes: Buffer,
  headers: Record<string, string>,
  limit: number = bufferConstants.MAX_LENGTH,
): { value: unknown; problem?: string } {
  if (bytes.length === 0) return { value: undefined };
  const encoding = headers["content-encoding"]?.trim().toLowerCase() ?? "";
  let decoded: Buffer;
  try {
    decoded = decoders[encoding]?.(bytes, { maxOutputLength: limit }) ?? bytes;
  } catch {
    const problem = `does not decode as ${encoding}`;
    return { value: `(a body that ${problem})`, problem };
  }
  const mediaType = essence(headers["content-type"]);
  // A file (an image, a PDF, a multipart upload carrying one) is bytes, not text: kept byte for
  // byte (latin1) for Prism to check as a string; only text media types must be UTF-8.
  if (!isTextMediaType(mediaType)) return { value: decoded.toString("latin1") };
  let text: string;
  try {
    text = utf8.decode(decoded);
  } catch {
    return { value: decoded.toString("utf8"), problem: "is not valid UTF-8" };
  }
  if (!isJson(mediaType) || text === "") return { value: text };
  try {
    return { value: parseJson(text) };
  } catch (error) {
    return { value: text, problem: `is not valid JSON: ${(error as Error).message}` };
  }
}
