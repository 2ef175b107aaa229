import { pascalCase } from "@contracts/spec";
import type { ApiModel, OperationModel } from "../model.ts";
import { generatedHeader } from "./header.ts";
import { tsLiteral } from "./literal.ts";

const literal = (value: unknown) => JSON.stringify(value);

function methodMember(operation: OperationModel): string {
  const retry = operation.client.retried ? "" : " Not retried unless a call passes `maxRetries`.";
  return [
    `  /** ${operation.summary}: \`${operation.method.toUpperCase()} ${operation.path}\`.${retry} */`,
    `  ${operation.id}: OperationMethod<paths, ${literal(operation.path)}, ${literal(operation.method)}>;`,
  ].join("\n");
}

function operationEntry(operation: OperationModel): string {
  const { path, details } = operation.wire;
  const more = Object.keys(details).length > 0 ? `, ${tsLiteral(details)}` : "";
  return `    ${operation.id}: [${literal(operation.method)}, ${literal(path)}, ${operation.client.retried}${more}],`;
}

function operationTypes(operation: OperationModel): string {
  const of = `operations[${literal(operation.id)}]`;
  return [
    `/** Request body of \`${operation.id}\` (JSON where the spec offers it; text a string, binary a Blob). */`,
    `export type ${operation.types.requestBody} = RequestBodyOf<${of}>;`,
    `/** Body of the success responses of \`${operation.id}\` (JSON where the spec offers it; text a string, binary a Blob). */`,
    `export type ${operation.types.response} = SuccessBodyOf<${of}>;`,
    `/** Body of the documented error responses of \`${operation.id}\` (JSON where the spec offers it, else its text). */`,
    `export type ${operation.types.error} = ErrorBodyOf<${of}>;`,
  ].join("\n");
}

/** `src/generated/client.ts`: `createClient` and the client's type, one typed method per operation. */
export function emitClientModule(api: ApiModel): string {
  const clientType = `${pascalCase(api.id)}Client`;
  return `${generatedHeader(api)}
import {
  createApiClient,
  type Client,
  type ClientOptions,
  type ErrorBodyOf,
  type OperationMethod,
  type RequestBodyOf,
  type SuccessBodyOf,
} from "@contracts/client-core";
import type { components, operations, paths } from "./schema.js";

export {
  ApiClientError,
  ApiConnectionError,
  ApiTimeoutError,
  ApiUserAbortError,
  InvalidApiKeyError,
  MissingApiKeyError,
  MissingBaseUrlError,
  ResponseValidationError,
  type CallLimits,
  type ClientOptions,
  type Middleware,
  type ResponseViolation,
} from "@contracts/client-core";
export type { components, operations, paths };
/** Every schema of the spec, by component name. */
export type Schemas = components["schemas"];

/** A client of ${api.title}: openapi-fetch's methods and one typed method per operation. */
export interface ${clientType} extends Client<paths> {
${api.operations.map(methodMember).join("\n")}
}

/**
 * A client for ${api.title}. The key comes from \`options.apiKey\`, else from the
 * \`${api.apiKeyEnv}\` environment variable; requests go to \`${api.defaultBaseUrl}\` unless
 * \`options.baseUrl\` says otherwise, and the key goes nowhere else. Each method returns openapi-fetch's
 * \`{ data, error, response }\` and \`status\`, within \`options.timeout\` (default 60 000 ms) and with
 * \`options.maxRetries\` (default 2) retries where a repeat is safe.
 */
export function createClient(options?: ClientOptions): ${clientType} {
  return createApiClient<${clientType}>(
    {
      title: ${literal(api.title)},
      defaultBaseUrl: ${literal(api.defaultBaseUrl)},
      apiKeyEnv: ${literal(api.apiKeyEnv)},
      auth: { in: ${literal(api.auth.in)}, name: ${literal(api.auth.name)}, prefix: ${literal(api.auth.prefix)} },
      operations: {
${api.operations.map(operationEntry).join("\n")}
      },
      validators: () => import("./validators.js"),
    },
    options,
  );
}

${api.operations.map(operationTypes).join("\n\n")}
`;
}
