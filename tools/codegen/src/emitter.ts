import type { ApiModel } from "./model.ts";

/** What a client takes from client-core's manifest: its version, the openapi-fetch range it is built on, and the msw range of its mocks. */
export interface ClientCoreManifest {
  version: string;
  dependencies: { "openapi-fetch": string };
  peerDependencies: { msw: string };
}

/** What an emitter may read besides the API's model. */
export interface EmitContext {
  core: ClientCoreManifest;
}

/**
 * One output of codegen: the files it writes into a client package (paths relative to the
 * package), from the model alone. Emitters are independent: none imports another, and a change to
 * one output touches one emitter.
 */
export interface Emitter {
  name: string;
  files(api: ApiModel, context: EmitContext): Record<string, string> | Promise<Record<string, string>>;
}
