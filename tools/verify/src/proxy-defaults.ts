// Apart from proxy.ts so that the CLI can print its usage without loading Prism.
export const defaultProxyHost = "127.0.0.1";
/** The CLI's ports: 4110 for the registry's first API, 4111 for the second, ... (the mocks use 4010, ...). */
export const firstDefaultProxyPort = 4110;

export function defaultProxyPorts(apiIds: string[]): Record<string, number> {
  return Object.fromEntries(apiIds.map((id, index) => [id, firstDefaultProxyPort + index]));
}
