export * from "./apis.ts";
export * from "./connection.ts";
export * from "./mutations.ts";
export * from "./names.ts";
export * from "./operations.ts";
export { specCacheDir } from "./spec-cache.ts";
