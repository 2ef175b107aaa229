import type { Json } from "@contracts/spec";
import type { ApiModel, OperationModel, SchemeModel } from "./model.ts";
import { lineComment, tsKey, tsLiteral, tsString } from "./print.ts";

// How a call of the generated client is written in the code codegen emits (the README's examples,
// the type tests): its `params` and `body`, and `createClient`'s options.

/** The `params` and `body` of one call. */
export interface CallInit {
  params?: Partial<Record<"path" | "query" | "header" | "cookie", Json>>;
  body?: Json;
}

/** The parameters and body of the operation's example call. */
export function validInit(operation: OperationModel): CallInit {
  return {
    ...(Object.keys(operation.exampleParams).length > 0 && { params: operation.exampleParams as CallInit["params"] }),
    ...(operation.requestExample !== undefined && { body: operation.requestExample as Json }),
  };
}

/** `{ params, body, ...options }` of a call; on one line without an indent, so a directive above covers it. */
export function initLiteral(init: CallInit, indent?: string, options: string[] = []): string {
  const locations = Object.entries(init.params ?? {}).map(([location, values]) => `${location}: ${tsLiteral(values)}`);
  const parts = [
    ...(locations.length === 0 ? [] : [`params: { ${locations.join(", ")} }`]),
    ...(init.body === undefined ? [] : [`body: ${tsLiteral(init.body, indent)}`]),
    ...options,
  ];
  return parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
}

/** The example call's argument as the README writes it: one line per part, none without any. */
export function callExample(operation: OperationModel): string {
  const init: string[] = [];
  const locations = Object.entries(operation.exampleParams).map(
    ([location, values]) => `${location}: ${tsLiteral(values)}`,
  );
  if (locations.length > 0) init.push(`  params: { ${locations.join(", ")} },`);
  if (operation.requestExample !== undefined) init.push(`  body: ${tsLiteral(operation.requestExample, "  ")},`);
  return init.length > 0 ? `{\n${init.join("\n")}\n}` : "";
}

/** A credential of the right kind for a scheme, in the type tests. */
const testCredential = (scheme: SchemeModel) =>
  scheme.kind === "basic" ? `{ username: "type-tests", password: "only" }` : `"type-tests-only"`;

/** `createClient`'s options in the type tests: valid credentials, a baseUrl where the spec has no server, and `extra`. */
export function clientOptionsLiteral(api: ApiModel, extra: string[] = []): string {
  const { credentials } = api;
  const parts = [
    ...(credentials.option === "apiKey" ? [`apiKey: "type-tests-only"`] : []),
    ...(credentials.option === "credentials"
      ? [
          `credentials: { ${credentials.schemes.map((scheme) => `${tsKey(scheme.schemeName)}: ${testCredential(scheme)}`).join(", ")} }`,
        ]
      : []),
    ...(api.server === undefined ? [`baseUrl: "http://127.0.0.1:4010"`] : []),
    ...extra,
  ];
  return parts.length === 0 ? "" : `{ ${parts.join(", ")} }`;
}

/**
 * The type of a response body whose schema is a component, as client-core's body types hold it:
 * `Readable` (writeOnly properties left out, readOnly ones unwrapped, intersections flattened).
 */
export const bodyType = (schema: string) => `Readable<Schemas[${tsString(schema)}]>`;
/** The data of an event whose schema, the component `schema`, describes the event itself: its `data` property (client-core's `EventDataOf`). */
export const eventDataType = (schema: string) => `Readable<Exclude<Schemas[${tsString(schema)}]["data"], undefined>>`;

/**
 * The type tests of every operation, each in a method of its own (`checks`, never called):
 * TypeScript analyses control flow per function body, and gives up on a module body that holds
 * hundreds of operations' checks ("too large for control flow analysis", DigitalOcean's 659).
 */
export function checksPerOperation(api: ApiModel, statements: (operation: OperationModel) => string): string {
  const methods = api.operations.map(
    (operation) =>
      `  ${lineComment(`${operation.name}: ${operation.method.toUpperCase()} ${operation.path}`)}\n  async ${tsKey(operation.name)}() {\n${statements(operation).replace(/^(?=.)/gm, "  ")}\n  },`,
  );
  return `export const checks = {\n${methods.join("\n")}\n};`;
}
