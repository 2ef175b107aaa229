// Apart from proxy.ts so that the CLI can print its usage without loading Prism.
import { numberedPorts } from "@contracts/cli";

/** The CLI's ports: 4110 for the registry's first API, 4111 for the second, ... (the mocks use 4010, ...). */
export const firstDefaultProxyPort = 4110;

export const defaultProxyPorts = (apiIds: string[]) => numberedPorts(apiIds, firstDefaultProxyPort);
