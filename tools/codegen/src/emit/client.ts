import { pascalCase, pointerSegments } from "@contracts/spec";
import { defaultsText } from "../defaults-text.ts";
import type { Emitter } from "../emitter.ts";
import { generatedHeader } from "../header.ts";
import type { ApiModel, CredentialsModel, OperationModel, SchemeModel } from "../model.ts";
import { docComment, tsIdentifier, tsKey, tsLiteral, tsString, tsTypeKey } from "../print.ts";

function methodMember(operation: OperationModel): string {
  const retry = operation.client.retried ? "" : " Not retried unless a call passes `maxRetries`.";
  return [
    docComment(`${operation.summary}: \`${operation.method.toUpperCase()} ${operation.path}\`.${retry}`, "  "),
    `  ${tsIdentifier(operation.name)}: OperationMethod<paths, ${tsString(operation.path)}, ${tsString(operation.method)}>;`,
  ].join("\n");
}

/** What client-core's `OperationDetails` says of the operation: its wire details, and its security where it differs from the API's. */
function operationDetails(operation: OperationModel, api: ApiModel): Record<string, unknown> {
  const required = api.credentials.option === "none" ? [] : api.credentials.required;
  return {
    ...operation.wire.details,
    ...(JSON.stringify(operation.security) !== JSON.stringify(required) && { security: operation.security }),
  };
}

/** One item's type of a list that pages: the success body's (`response`) array at the pagination's `items` pointer. */
function itemType(response: string, items: string): string {
  const list = pointerSegments(items).reduce((type, key) => `NonNullable<${type}>[${tsString(key)}]`, response);
  return `NonNullable<${list}>[number]`;
}

/** Each list that pages, by method name, as client-core's `withPagination` takes them. */
function paginationsLiteral(api: ApiModel): string {
  const paginations = api.operations.flatMap(({ name, pagination }) => (pagination ? [[name, pagination]] : []));
  return tsLiteral(Object.fromEntries(paginations));
}

/** The client's `paginate` member: one entry per operation whose lists page; none without any. */
function paginateMember(operations: OperationModel[]): string {
  const entries = operations.flatMap(({ pagination, name, path, method, types }) => {
    if (!pagination) return [];
    const item = itemType(tsIdentifier(types.response), pagination.items);
    return [
      docComment(
        `Every item of \`${name}\`'s pages, walked to the last (${pagination.style}); \`.pages()\` gives each page's result.`,
        "    ",
      ),
      `    ${tsIdentifier(name)}: PaginateMethod<paths, ${tsString(path)}, ${tsString(method)}, ${item}>;`,
    ];
  });
  if (entries.length === 0) return "";
  return `\n  /** The lists that page, each walked to its end: \`for await (const item of client.paginate.<method>(init))\`. */\n  paginate: {\n${entries.join("\n")}\n  };`;
}

function operationEntry(api: ApiModel) {
  return (operation: OperationModel) => {
    const details = operationDetails(operation, api);
    const more = Object.keys(details).length > 0 ? `, ${tsLiteral(details)}` : "";
    return `    ${tsKey(operation.name)}: [${tsString(operation.method)}, ${tsString(operation.wire.path)}, ${operation.client.retried}${more}],`;
  };
}

function operationTypes(operation: OperationModel): string {
  const of = `paths[${tsString(operation.path)}][${tsString(operation.method)}]`;
  return [
    `/** Request body of \`${operation.name}\` (JSON where the spec offers it; text a string, binary a Blob). */`,
    `export type ${tsIdentifier(operation.types.requestBody)} = RequestBodyOf<${of}>;`,
    `/** Body of the success responses of \`${operation.name}\` (JSON where the spec offers it; text a string, binary a Blob). */`,
    `export type ${tsIdentifier(operation.types.response)} = SuccessBodyOf<${of}>;`,
    `/** Body of the documented error responses of \`${operation.name}\` (JSON where the spec offers it, else its text). */`,
    `export type ${tsIdentifier(operation.types.error)} = ErrorBodyOf<${of}>;`,
  ].join("\n");
}

/** What a caller gives for each kind of scheme, as client-core names it: a value, or a provider that refreshes it after a 401. */
const credentialTypes = {
  key: "string | CredentialProvider",
  token: "AccessToken | CredentialProvider",
  basic: "BasicCredentials | CredentialProvider<BasicCredentials>",
} as const;

function schemeDescription(scheme: SchemeModel): string {
  return tsLiteral({ in: scheme.in, name: scheme.name, prefix: scheme.prefix, env: scheme.env });
}

/** The `security` of the API's description for client-core. */
function securityDescription(credentials: CredentialsModel): string | undefined {
  if (credentials.option === "none") return undefined;
  if (credentials.option === "apiKey") {
    return `{ schemes: { apiKey: ${schemeDescription(credentials.scheme)} }, required: ${tsLiteral(credentials.required)}, apiKeyOption: true }`;
  }
  const schemes = credentials.schemes.map((scheme) => `${tsKey(scheme.schemeName)}: ${schemeDescription(scheme)}`);
  return `{\n        schemes: {\n${schemes.map((line) => `          ${line},`).join("\n")}\n        },\n        required: ${tsLiteral(credentials.required)},\n      }`;
}

/** Where a scheme's credential goes, in words, for its option's doc comment. */
function envNote(scheme: SchemeModel): string {
  return typeof scheme.env === "string" ? `\`${scheme.env}\`` : `\`${scheme.env[0]}\` and \`${scheme.env[1]}\``;
}

/**
 * The client's options type: client-core's `ClientOptions` (`apiKey`) for an API with one key
 * scheme and a server, as every such client has always had (`declaration` undefined: it is
 * re-exported); else one typed from the spec on top of client-core's `base`.
 */
function clientOptionsType(api: ApiModel): { declaration: string | undefined; base: string } {
  const { credentials, server } = api;
  if (credentials.option === "apiKey" && server !== undefined) return { declaration: undefined, base: "ClientOptions" };
  const base = credentials.option === "apiKey" ? "CoreClientOptions" : "ConnectionOptions";
  const members: string[] = [];
  if (credentials.option === "credentials") {
    const schemes = credentials.schemes.map(
      (scheme) =>
        `${docComment(`${scheme.kind === "basic" ? "HTTP basic" : scheme.kind === "token" ? "An access token, or a function returning one" : "The key"}, or a provider that refreshes it after a 401; else ${envNote(scheme)}.`, "    ")}\n    ${tsTypeKey(scheme.schemeName)}?: ${credentialTypes[scheme.kind]};`,
    );
    members.push(
      `  /** Each security scheme's credential, by its name in the spec, else its environment variable; \`null\` sends none. */\n  credentials?: {\n${schemes.join("\n")}\n  } | null;`,
    );
  }
  if (server === undefined) members.push("  /** Where requests go: the spec names no server. */\n  baseUrl: string;");
  const declaration =
    members.length === 0
      ? `/** The options of \`createClient\`. */\nexport type ClientOptions = ${base};`
      : `/** The options of \`createClient\`. */\nexport interface ClientOptions extends ${base} {\n${members.join("\n")}\n}`;
  return { declaration, base };
}

/** The doc comment of \`createClient\`: where credentials come from and where requests go. */
function createClientDoc(api: ApiModel): string {
  const { credentials, server } = api;
  const key =
    credentials.option === "apiKey"
      ? `The key comes from \`options.apiKey\`, else from the \`${credentials.env}\` environment variable`
      : credentials.option === "credentials"
        ? "Credentials come from `options.credentials`, else from each scheme's environment variable"
        : "The API takes no credentials";
  const where = server
    ? `requests go to \`${server.url}\` unless \`options.baseUrl\` says otherwise`
    : "requests go to `options.baseUrl` (the spec names no server)";
  const scoped = credentials.option === "none" ? "" : ", and credentials go nowhere else";
  return docComment(
    `A client for ${api.title}. ${key}; ${where}${scoped}. Each method returns openapi-fetch's \`{ data, error, response }\` and \`status\`, within \`options.timeout\` (default ${defaultsText.timeout}) and with \`options.maxRetries\` (default ${defaultsText.maxRetries}) retries where a repeat is safe.`,
  );
}

/** The payload types of the API's webhooks and callbacks, and the function that checks one as it arrives. */
function webhooksSection(api: ApiModel): string {
  if (api.webhooks.length === 0) return "";
  return `
/** What the API sends you: each webhook's payload by its name, each callback's by \`<operationId>.<callback>\`. */
export interface WebhookPayloads {
${api.webhooks.map(({ name, type }) => `  ${tsTypeKey(name)}: ${type};`).join("\n")}
}

/**
 * Checks a webhook or callback payload you received (parsed JSON) against the spec's schema:
 * resolves to it, typed, or rejects with a \`WebhookValidationError\` naming each violation.
 */
export async function parseWebhook<Name extends keyof WebhookPayloads>(
  name: Name,
  payload: unknown,
): Promise<WebhookPayloads[Name]> {
  const { payloadViolationsOf } = await import("./validators.js");
  const violations = payloadViolationsOf(name, payload);
  if (violations.length > 0) throw new WebhookValidationError(name, violations);
  return payload as WebhookPayloads[Name];
}
`;
}

/** `src/generated/client.ts`: `createClient` and the client's type, one typed method per operation. */
export function emitClientModule(api: ApiModel): string {
  const clientType = `${pascalCase(api.id)}Client`;
  const paginates = api.operations.some(({ pagination }) => pagination);
  const options = clientOptionsType(api);
  const coreTypes = [
    "type Client",
    options.base === "CoreClientOptions" ? "type ClientOptions as CoreClientOptions" : `type ${options.base}`,
    ...(api.credentials.option === "credentials"
      ? ["type AccessToken", "type BasicCredentials", "type CredentialProvider"]
      : []),
    "type ErrorBodyOf",
    "type OperationMethod",
    ...(paginates ? ["type PaginateMethod", "withPagination"] : []),
    "type RequestBodyOf",
    "type SuccessBodyOf",
    ...(api.webhooks.length > 0 ? ["type Readable", "WebhookValidationError"] : []),
  ];
  const security = securityDescription(api.credentials);
  const optionsRequired = api.server === undefined;
  const reexports = [
    "ApiClientError",
    "ApiConnectionError",
    "ApiTimeoutError",
    "ApiUserAbortError",
    ...(api.credentials.option === "none" ? [] : ["CredentialRefreshError"]),
    "InvalidApiKeyError",
    "MissingApiKeyError",
    "MissingBaseUrlError",
    ...(api.credentials.option === "credentials" ? ["MissingCredentialsError"] : []),
    ...(paginates ? ["PaginationError"] : []),
    "ResponseValidationError",
    // An API with a streaming operation: the error of an event that breaks the spec, and the events' type.
    ...(api.operations.some(({ stream }) => stream) ? ["StreamEventError", "type ServerSentEvent"] : []),
    ...(api.webhooks.length > 0 ? ["WebhookValidationError"] : []),
    ...(api.credentials.option === "credentials" ? ["type AccessToken", "type BasicCredentials"] : []),
    "type CallLimits",
    ...(options.declaration ? [] : ["type ClientOptions"]),
    ...(api.credentials.option === "none" ? [] : ["type CredentialProvider"]),
    "type Middleware",
    "type ResponseViolation",
  ];
  return `${generatedHeader(api)}
import {
  createApiClient,
${coreTypes.map((name) => `  ${name},`).join("\n")}
} from "@contracts/client-core";
import type { components, operations, paths${api.webhooks.length > 0 ? ", webhooks" : ""} } from "./schema.js";

export {
${reexports.map((name) => `  ${name},`).join("\n")}
} from "@contracts/client-core";
export type { components, operations, paths };
/** Every schema of the spec, by component name. */
export type Schemas = components["schemas"];
${options.declaration ? `\n${options.declaration}\n` : ""}
${docComment(`A client of ${api.title}: openapi-fetch's methods and one typed method per operation.`)}
export interface ${clientType} extends Client<paths> {
${api.operations.map(methodMember).join("\n")}${paginateMember(api.operations)}
}

${createClientDoc(api)}
export function createClient(options${optionsRequired ? "" : "?"}: ClientOptions): ${clientType} {
  return ${paginates ? "withPagination(" : ""}createApiClient<${clientType}>(
    {
      title: ${tsString(api.title)},
      defaultBaseUrl: ${api.server ? tsString(api.server.url) : "undefined"},${security ? `\n      security: ${security},` : ""}
      operations: {
${api.operations.map(operationEntry(api)).join("\n")}
      },
      validators: () => import("./validators.js"),
    },
    options,
  )${paginates ? `, ${paginationsLiteral(api)})` : ""};
}

${api.operations.map(operationTypes).join("\n\n")}
${webhooksSection(api)}`;
}

export const clientEmitter: Emitter = {
  name: "client",
  files: (api) => ({ "src/generated/client.ts": emitClientModule(api) }),
};
