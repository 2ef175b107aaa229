import { InvalidApiKeyError, MissingApiKeyError } from "./errors.ts";

/** Where the spec's security scheme puts the key: a header, a query parameter or a cookie, and its name. */
export interface AuthScheme {
  in: "header" | "query" | "cookie";
  name: string;
  /** What goes before the key: `"Bearer "` for HTTP bearer schemes, `""` for a raw API key. */
  prefix: string;
}

// Read through globalThis so the package also runs in browsers, where `process` is absent.
function environmentVariable(name: string): string | undefined {
  const { process } = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return process?.env?.[name];
}

/** Header values are Latin-1 without control characters (RFC 9110 field-value; Headers.set throws otherwise). */
const notHeaderSafe = /[^\x20-\x7e\x80-\xff]/;

/** The key from the option, else the environment variable; `null` means none is sent. Throws on a missing or unsendable key. */
export function resolveApiKey(title: string, apiKeyEnv: string, apiKey: string | null | undefined): string | null {
  const key = apiKey !== undefined ? apiKey : environmentVariable(apiKeyEnv) || undefined;
  if (key === undefined) throw new MissingApiKeyError(title, apiKeyEnv);
  const unsafe = key === null ? null : notHeaderSafe.exec(key);
  if (unsafe) throw new InvalidApiKeyError(title, apiKeyEnv, unsafe.index, key!.length);
  return key;
}

/** True when `url` is `base` (without trailing slashes) or below it (so `https://api.x.com.evil` is not). */
export function isUnder(url: string, base: string): boolean {
  return url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);
}

/**
 * The request with the key where the scheme puts it. Only called for requests under the
 * configured baseUrl: whatever `baseUrl` or `fetch` a call passes, nothing else ever sees the key.
 */
export async function withCredential(request: Request, scheme: AuthScheme, key: string): Promise<Request> {
  const value = `${scheme.prefix}${key}`;
  if (scheme.in === "header") {
    request.headers.set(scheme.name, value);
    return request;
  }
  if (scheme.in === "cookie") {
    const cookie = `${scheme.name}=${encodeURIComponent(value)}`;
    const existing = request.headers.get("cookie");
    request.headers.set("cookie", existing ? `${existing}; ${cookie}` : cookie);
    return request;
  }
  const url = new URL(request.url);
  url.searchParams.set(scheme.name, value);
  // A new URL needs a new Request; its body is read first, as a stream body would need `duplex`, which browsers lack.
  const body = request.body === null ? null : await request.arrayBuffer();
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
    redirect: request.redirect,
    credentials: request.credentials,
  });
}
