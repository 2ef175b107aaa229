export * from "./diagnostics.ts";
export * from "./instance.ts";
export * from "./operations.ts";
export { parameterDiagnostics } from "./parameters.ts";
export * from "./request.ts";
