export * from "./apis.ts";
export * from "./cli.ts";
export * from "./connection.ts";
export { watchLaunchers } from "./launchers.ts";
export * from "./lifecycle.ts";
export * from "./mutations.ts";
export * from "./operations.ts";
export { specCacheDir } from "./spec-cache.ts";
