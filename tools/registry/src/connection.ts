import type { OpenAPI3 } from "openapi-typescript";
import { resolveRef, type Operation } from "./operations.ts";

/** The environment variable that holds an API's key, for the clients and every tool: `pipecat-cloud` → `PIPECAT_CLOUD_API_KEY`. */
export function apiKeyEnvOf(id: string): string {
  return `${id.toUpperCase().replaceAll(/[^A-Z0-9]+/g, "_")}_API_KEY`;
}

/** The first server's URL with its variables set to their defaults, or undefined when the spec names none. */
export function defaultServerUrl(document: OpenAPI3): string | undefined {
  const server = document.servers?.[0];
  return server?.url.replaceAll(/\{([^}]+)\}/g, (match, name: string) => server.variables?.[name]?.default ?? match);
}

/** How an operation's key travels: the header and the prefix before the key (HTTP bearer or an API key in a header). */
export function credentialHeaderOf(document: OpenAPI3, operation: Operation): { header: string; prefix: string } | undefined {
  const [requirement] = operation.object.security ?? document.security ?? [];
  const [name] = Object.keys(requirement ?? {});
  const scheme = name === undefined ? undefined : resolveRef(document, document.components?.securitySchemes?.[name]);
  if (scheme?.type === "http" && scheme.scheme.toLowerCase() === "bearer") return { header: "authorization", prefix: "Bearer " };
  if (scheme?.type === "apiKey" && scheme.in === "header") return { header: scheme.name.toLowerCase(), prefix: "" };
  return undefined;
}
