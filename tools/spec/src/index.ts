export * from "./answers.ts";
export * from "./apis.ts";
export * from "./connection.ts";
export * from "./examples.ts";
export * from "./mutations.ts";
export * from "./names.ts";
export * from "./operations.ts";
export { specCacheDir } from "./spec-cache.ts";
export * from "./validator.ts";
