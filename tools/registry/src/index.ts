export * from "./apis.ts";
export * from "./cli.ts";
export * from "./connection.ts";
export * from "./mutations.ts";
export * from "./operations.ts";
