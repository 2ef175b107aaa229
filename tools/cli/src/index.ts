export * from "./colour.ts";
export * from "./flags.ts";
export { watchLaunchers } from "./launchers.ts";
export * from "./lifecycle.ts";
export * from "./processes.ts";
export * from "./servers.ts";
