export * from "./apis.ts";
export * from "./connection.ts";
export * from "./mutations.ts";
export * from "./operations.ts";
export type { LintProblem } from "./redocly.ts";
export { redoclyVersion } from "./redocly.ts";
export { specCacheDir } from "./spec-cache.ts";
