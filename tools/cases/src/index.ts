export * from "./arbitrary.ts";
export * from "./cases.ts";
export * from "./constraints.ts";
