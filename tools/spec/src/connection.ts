import type { OpenAPI3 } from "openapi-typescript";

/** The environment variable that holds an API's key, for the clients and every tool: `pipecat-cloud` → `PIPECAT_CLOUD_API_KEY`. */
export function apiKeyEnvOf(id: string): string {
  return `${id.toUpperCase().replaceAll(/[^A-Z0-9]+/g, "_")}_API_KEY`;
}

/** The first server's URL with its variables set to their defaults, or undefined when the spec names none. */
export function defaultServerUrl(document: OpenAPI3): string | undefined {
  const server = document.servers?.[0];
  return server?.url.replaceAll(/\{([^}]+)\}/g, (match, name: string) => server.variables?.[name]?.default ?? match);
}
