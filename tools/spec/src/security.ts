import type { OpenAPI3, SecuritySchemeObject } from "openapi-typescript";
import { type Operation, operationsOf } from "./operations.ts";
import { resolveRef } from "./pointers.ts";

/**
 * How a client sends one security scheme's credential, and what a caller gives for it:
 * `key` a string sent as is (apiKey, HTTP schemes other than basic and bearer), `token` an access
 * token sent as `Bearer` (HTTP bearer, OAuth2, OpenID Connect), `basic` a user name and password.
 */
export interface SchemePlacement {
  kind: "key" | "token" | "basic";
  in: "header" | "query" | "cookie";
  /** The header, query parameter or cookie that carries it. */
  name: string;
  /** What goes before the credential, e.g. `Bearer `. */
  prefix: string;
}

/**
 * Where a scheme's credential goes; undefined for mutual TLS, which a client certificate in the
 * transport carries, not a request (a requirement naming it is met by the caller's `fetch`).
 */
export function schemePlacementOf(scheme: SecuritySchemeObject): SchemePlacement | undefined {
  switch (scheme.type) {
    case "apiKey":
      return { kind: "key", in: scheme.in, name: scheme.name, prefix: "" };
    case "http": {
      const name = scheme.scheme.toLowerCase();
      if (name === "basic") return { kind: "basic", in: "header", name: "Authorization", prefix: "Basic " };
      if (name === "bearer") return { kind: "token", in: "header", name: "Authorization", prefix: "Bearer " };
      // RFC 9110 schemes are case-insensitive; the spec's spelling is sent.
      return { kind: "key", in: "header", name: "Authorization", prefix: `${scheme.scheme} ` };
    }
    case "oauth2":
    case "openIdConnect":
      return { kind: "token", in: "header", name: "Authorization", prefix: "Bearer " };
    default:
      return undefined;
  }
}

/** A security scheme the client sends, by its name under `components.securitySchemes`. */
export interface SentScheme extends SchemePlacement {
  schemeName: string;
  type: SecuritySchemeObject["type"];
}

/** Every scheme of the document that a request carries (mutual TLS left out), by name. */
export function sentSchemesOf(document: OpenAPI3): SentScheme[] {
  return Object.entries(document.components?.securitySchemes ?? {}).flatMap(([schemeName, schemeOrRef]) => {
    const scheme = resolveRef(document, schemeOrRef);
    const placement = schemePlacementOf(scheme);
    return placement ? [{ schemeName, type: scheme.type, ...placement }] : [];
  });
}

/**
 * The operation's security requirements as alternatives, each the names of the schemes it needs
 * together (`[]`, from `- {}`, needs nothing): its own `security`, else the document's. An empty
 * list needs nothing at all. Schemes no request carries (mutual TLS) are left out.
 */
export function securityRequirementsOf(document: OpenAPI3, operation: Operation): string[][] {
  const sent = new Set(sentSchemesOf(document).map(({ schemeName }) => schemeName));
  const requirements = operation.object.security ?? document.security ?? [];
  return requirements.map((requirement) => Object.keys(requirement).filter((name) => sent.has(name)));
}

/** The environment variable of one scheme's credential: `pinecone-data`, `ApiKeyAuth` → `PINECONE_DATA_API_KEY_AUTH`. */
export function credentialEnvOf(apiId: string, schemeName: string): string {
  return `${apiId}_${schemeName}`
    .replaceAll(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .replaceAll(/[^A-Z0-9]+/g, "_");
}

/**
 * How a generated client takes credentials: `none` for an API whose operations use no scheme;
 * `apiKey` (one option) for one whose operations use one apiKey or HTTP bearer scheme;
 * `credentials` (one per scheme, by its name in the spec) for every other. Codegen writes the
 * option; the contract tests and verify give it.
 */
export type CredentialsOption =
  | { option: "none" }
  | { option: "apiKey"; scheme: SentScheme }
  | { option: "credentials"; schemes: SentScheme[] };

export function credentialsOptionOf(document: OpenAPI3): CredentialsOption {
  const used = new Set(
    operationsOf(document).flatMap((operation) => securityRequirementsOf(document, operation).flat()),
  );
  const schemes = sentSchemesOf(document).filter(({ schemeName }) => used.has(schemeName));
  const [only] = schemes;
  if (only === undefined) return { option: "none" };
  const keyOrBearer = only.type === "apiKey" || (only.type === "http" && only.kind === "token");
  if (schemes.length === 1 && keyOrBearer) return { option: "apiKey", scheme: only };
  return { option: "credentials", schemes };
}

/** The scheme the operation's first requirement names first (what a test of a one-key API sends); undefined when it needs none. */
export function firstSchemeOf(document: OpenAPI3, operation: Operation): SentScheme | undefined {
  const [[name] = []] = securityRequirementsOf(document, operation);
  return sentSchemesOf(document).find(({ schemeName }) => schemeName === name);
}
