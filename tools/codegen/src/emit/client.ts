import { pascalCase } from "@contracts/spec";
import type { ApiModel, OperationModel } from "../model.ts";
import { generatedHeader } from "./header.ts";

const literal = (value: unknown) => JSON.stringify(value);

function methodEntry(operation: OperationModel): string {
  return [
    `    /** ${operation.summary}: \`${operation.method.toUpperCase()} ${operation.path}\`${operation.client.idempotent ? "" : " (not retried unless a call passes maxRetries)"} */`,
    `    ${operation.id}: operationMethod(client, options, ${literal(operation.method)}, ${literal(operation.path)}, ${operation.client.idempotent}),`,
  ].join("\n");
}

function operationTypes(operation: OperationModel): string {
  const of = `operations[${literal(operation.id)}]`;
  return [
    `/** JSON request body of \`${operation.id}\`. */`,
    `export type ${operation.types.requestBody} = RequestBodyOf<${of}>;`,
    `/** JSON body of the success responses of \`${operation.id}\`. */`,
    `export type ${operation.types.response} = SuccessBodyOf<${of}>;`,
    `/** JSON body of the error responses of \`${operation.id}\`. */`,
    `export type ${operation.types.error} = ErrorBodyOf<${of}>;`,
  ].join("\n");
}

/** `src/generated/client.ts`: `createClient` with one typed method per operation. */
export function emitClientModule(api: ApiModel): string {
  return `${generatedHeader(api)}
import {
  createApiClient,
  operationMethod,
  type ApiDescription,
  type ClientOptions,
  type ErrorBodyOf,
  type RequestBodyOf,
  type SuccessBodyOf,
} from "@contracts/client-core";
import type { components, operations, paths } from "./schema.js";

export { InvalidApiKeyError, MissingApiKeyError, TimeoutError, type CallLimits, type ClientOptions } from "@contracts/client-core";
export type { components, operations, paths };
/** Every schema of the spec, by component name. */
export type Schemas = components["schemas"];

/** What the spec says about reaching ${api.title}. */
export const api: ApiDescription = {
  title: ${literal(api.title)},
  defaultBaseUrl: ${literal(api.defaultBaseUrl)},
  apiKeyEnv: ${literal(api.apiKeyEnv)},
  auth: { header: ${literal(api.auth.header)}, prefix: ${literal(api.auth.prefix)} },
};

/**
 * A client for ${api.title}. The key comes from \`options.apiKey\`, else from the
 * \`${api.apiKeyEnv}\` environment variable; requests go to \`${api.defaultBaseUrl}\` unless
 * \`options.baseUrl\` says otherwise. Each method returns openapi-fetch's \`{ data, error, response }\` and
 * \`status\`, within \`options.timeout\` (default 60 000 ms) and with \`options.maxRetries\` (default 2) retries.
 */
export function createClient(options?: ClientOptions) {
  const client = createApiClient<paths>(api, options);
  return Object.assign(client, {
${api.operations.map(methodEntry).join("\n")}
  });
}

export type ${pascalCase(api.id)}Client = ReturnType<typeof createClient>;

${api.operations.map(operationTypes).join("\n\n")}
`;
}
