export * from "./diagnostics.ts";
export * from "./instance.ts";
export * from "./operations.ts";
export { cookieDiagnostics } from "./parameters.ts";
export * from "./request.ts";
