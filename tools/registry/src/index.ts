export * from "./apis.ts";
export * from "./mutations.ts";
export * from "./operations.ts";
export * from "./cli.ts";
export * from "./lifecycle.ts";
export { watchLaunchers } from "./launchers.ts";
export * from "./connection.ts";
