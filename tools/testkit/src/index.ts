export * from "./examples.ts";
export * from "./validator.ts";
