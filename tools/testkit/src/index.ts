export * from "./arbitrary.ts";
export * from "./cases.ts";
export * from "./constraints.ts";
export * from "./examples.ts";
export * from "./validator.ts";
