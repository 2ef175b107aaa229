import { credentialText, placeCredential } from "./credential-wire.ts";
import { CredentialRefreshError, InvalidApiKeyError, MissingApiKeyError, MissingCredentialsError } from "./errors.ts";

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

/** Throws when no header can carry `value`, naming where it came from, never the value. */
function checkSendable(title: string, source: string, value: string): string {
  const unsafe = notHeaderSafe.exec(value);
  if (unsafe) throw new InvalidApiKeyError(title, source, unsafe.index, value.length);
  return value;
}

/**
 * The key from the option, else the environment variable; `null` means none is sent. Throws on a
 * missing or unsendable key (a provider's keys are checked as each call reads them).
 */
export function resolveApiKey(
  title: string,
  apiKeyEnv: string,
  apiKey: string | CredentialProvider | null | undefined,
): string | CredentialProvider | null {
  const key = apiKey !== undefined ? apiKey : environmentVariable(apiKeyEnv) || undefined;
  if (key === undefined) throw new MissingApiKeyError(title, apiKeyEnv);
  return typeof key === "string" ? checkSendable(title, `apiKey or ${apiKeyEnv}`, key) : key;
}

/** A user name and password, for HTTP basic. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** An access token (OAuth2, OpenID Connect, HTTP bearer), or a function that returns one: it is called for every call, so it may refresh. */
export type AccessToken = string | (() => string | Promise<string>);

/**
 * A credential that can be renewed, for any scheme (a key or token; `{ username, password }` for
 * HTTP basic). A call answered 401 is sent once more, with the credential `refresh()` gives; a
 * second 401 is the call's answer.
 */
export interface CredentialProvider<Value extends string | BasicCredentials = string> {
  /** The credential to send: read by every call. */
  current(): Value | Promise<Value>;
  /**
   * A new credential, after the API answered 401 to the current one: called once for all the
   * calls that met a 401 together. It should also make `current()` give the new one.
   */
  refresh(): Value | Promise<Value>;
}

/** What a caller gives for one security scheme. */
export type Credential =
  | string
  | BasicCredentials
  | AccessToken
  | CredentialProvider<string>
  | CredentialProvider<BasicCredentials>;

/** One security scheme of the spec, as a generated client describes it. */
export interface SecuritySchemeDescription extends AuthScheme {
  /** The environment variable read when no credential is given for it; HTTP basic reads two (username, password). */
  env: string | readonly [username: string, password: string];
}

function credentialFromEnvironment(env: SecuritySchemeDescription["env"]): Credential | undefined {
  if (typeof env === "string") return environmentVariable(env) || undefined;
  const [username, password] = env.map(environmentVariable);
  return username ? { username, password: password ?? "" } : undefined;
}

/** Every scheme's credential: the option's, else its environment variable's; schemes with neither are left out. */
export function resolveCredentials(
  schemes: Record<string, SecuritySchemeDescription>,
  given: Record<string, Credential | undefined> | undefined,
): Map<string, Credential> {
  const credentials = new Map<string, Credential>();
  for (const [name, scheme] of Object.entries(schemes)) {
    const credential = given?.[name] ?? credentialFromEnvironment(scheme.env);
    if (credential !== undefined) credentials.set(name, credential);
  }
  return credentials;
}

/** The credentials one call sends, and, when any of them is a provider's, how to renew them after a 401. */
export interface CallCredentials {
  /** Each scheme with its credential as sent (`credentialText`). */
  sent: [AuthScheme, string][];
  /**
   * The credentials to send again, each provider's refreshed (and none renewable again); rejects
   * with `CredentialRefreshError` when a refresh throws, or with the signal's reason on its abort.
   */
  renew?: (signal: AbortSignal) => Promise<CallCredentials>;
}

/**
 * The credentials a call sends: those of the first of the operation's requirements (alternatives,
 * each the schemes it needs together; an empty one means none) that the client holds all of.
 * Throws `MissingCredentialsError` when it holds none of them.
 */
export async function credentialsFor(
  title: string,
  operation: string,
  requirements: readonly (readonly string[])[],
  schemes: Record<string, SecuritySchemeDescription>,
  credentials: Map<string, Credential>,
): Promise<CallCredentials> {
  if (requirements.length === 0) return { sent: [] };
  const met = requirements.find((requirement) => requirement.every((name) => credentials.has(name)));
  if (met === undefined) throw new MissingCredentialsError(title, operation, requirements, schemes);
  const held = met.map((name) => [name, credentials.get(name)!] as const);
  /** A scheme's credential as it goes on the wire (a key checked first: basic's base64 is always sendable). */
  const wire = (name: string, value: string | BasicCredentials): [AuthScheme, string] => [
    schemes[name]!,
    credentialText(
      schemes[name]!,
      typeof value === "string" ? checkSendable(title, `credentials.${name}`, value) : value,
    ),
  ];
  // Providers' code is a chunk of its own, loaded only by a call that holds one.
  if (held.some(([, credential]) => typeof credential === "object" && "refresh" in credential))
    return (await import("./refresh.ts")).renewable(
      held,
      wire,
      (name, cause) => new CredentialRefreshError(title, name, cause),
    );
  return {
    sent: await Promise.all(
      // No provider among them (above).
      held.map(async ([name, credential]) =>
        wire(name, typeof credential === "function" ? await credential() : (credential as string | BasicCredentials)),
      ),
    ),
  };
}

/** True when `url` is `base` (without trailing slashes) or below it (so `https://api.x.com.evil` is not). */
export function isUnder(url: string, base: string): boolean {
  return url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`);
}

/**
 * The request with each credential where its scheme puts it. Only called for requests under the
 * configured baseUrl: whatever `baseUrl` or `fetch` a call passes, nothing else ever sees the key.
 */
export async function withCredentials(request: Request, sent: CallCredentials["sent"]): Promise<Request> {
  const query: string[] = [];
  for (const [scheme, text] of sent) placeCredential(request.headers, query, scheme, text);
  if (query.length === 0) return request;
  const url = new URL(request.url);
  // Appended as written: the query's own parameters keep their encoding.
  url.search += `${url.search ? "&" : ""}${query.join("&")}`;
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
