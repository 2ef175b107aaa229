// Credentials on the wire, written and read in one place: the client sends them with it, and the
// cases, the MSW mocks and the contract tests (through the spec layer) write and read them with it.
import { cookiePairs } from "./styles.ts";

/** Where a security scheme's credential travels: a header, a query parameter or a cookie, by name. */
interface Place {
  in: "header" | "query" | "cookie";
  name: string;
}

/**
 * A credential as it travels: the scheme's prefix (`Bearer `, `Basic `, none for an API key) and
 * the key, or for HTTP basic a user name and password as `user:password` in base64.
 */
export function credentialText(
  scheme: { prefix: string },
  value: string | { username: string; password: string },
): string {
  if (typeof value !== "string")
    // The UTF-8 bytes in base64: `btoa` alone takes Latin-1 only.
    value = btoa(String.fromCharCode(...new TextEncoder().encode(`${value.username}:${value.password}`)));
  return `${scheme.prefix}${value}`;
}

/**
 * Writes the credential (its `credentialText`) where its scheme puts it: into `headers` (a cookie
 * added to the Cookie header), or as a `name=value` pair, percent-encoded, onto `query`.
 */
export function placeCredential(headers: Headers, query: string[], scheme: Place, text: string): void {
  const pair = `${scheme.name}=${encodeURIComponent(text)}`;
  if (scheme.in === "header") headers.set(scheme.name, text);
  else if (scheme.in === "query") query.push(pair);
  else headers.set("cookie", [headers.get("cookie"), pair].filter(Boolean).join("; "));
}

/**
 * The credential a request carries for the scheme, as sent (prefix included); null for none.
 * `cookies` are the request's by name, where its Cookie header is not all of them (MSW's, in a
 * browser, adds the document's).
 */
export function sentCredential(request: Request, scheme: Place, cookies?: Record<string, string>): string | null {
  if (scheme.in === "header") return request.headers.get(scheme.name);
  if (scheme.in === "query") return new URL(request.url).searchParams.get(scheme.name);
  if (cookies) return cookies[scheme.name] ?? null;
  return cookiePairs(request.headers.get("cookie")).find(([name]) => name === scheme.name)?.[1] ?? null;
}
