export * from "./diagnostics.ts";
export { UnreadableForm } from "./forms.ts";
export * from "./instance.ts";
export { exactIntegerText } from "./integers.ts";
export * from "./operations.ts";
export { parameterDiagnostics } from "./parameters.ts";
export * from "./request.ts";
