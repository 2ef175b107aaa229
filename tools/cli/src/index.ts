export * from "./colour.ts";
export * from "./flags.ts";
export { watchLaunchers } from "./launchers.ts";
export * from "./lifecycle.ts";
