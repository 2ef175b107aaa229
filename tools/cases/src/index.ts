export * from "./arbitrary.ts";
export * from "./cases.ts";
export * from "./constraints.ts";
export * from "./judge.ts";
export * from "./parameters.ts";
export * from "./wire.ts";
