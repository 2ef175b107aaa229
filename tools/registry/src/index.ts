export * from "./apis.ts";
export * from "./operations.ts";
