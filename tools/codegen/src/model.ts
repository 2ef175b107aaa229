import {
  type Api,
  apiKeyEnvOf,
  credentialsOf,
  defaultServerUrl,
  exampleCall,
  type HttpMethod,
  type Operation,
  operationsOf,
  pascalCase,
  repoRelative,
  requestSchemaOf,
  responsesOf,
  SpecError,
  securitySchemesOf,
} from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { type OperationWire, operationWireOf } from "./details.ts";

/** Everything the emitters need to know about one API, read from its spec once. */
export interface ApiModel {
  id: string;
  title: string;
  /** e.g. `specs/bland.yaml` */
  specFile: string;
  packageName: string;
  /** `info.version` of the spec, the package's version. */
  version: string;
  /** e.g. `BLAND_API_KEY` */
  apiKeyEnv: string;
  defaultBaseUrl: string;
  /** The first server's description on one line, if it has one. */
  serverDescription: string | undefined;
  /** Where the key goes, as client-core's AuthScheme. */
  auth: { in: "header" | "query" | "cookie"; name: string; prefix: string };
  operations: OperationModel[];
  /** The bundled spec, for openapi-typescript and the response validators (Ajv compiles its schemas). */
  document: OpenAPI3;
}

export interface OperationModel {
  id: string;
  method: HttpMethod;
  path: string;
  summary: string;
  /** The names of the types the client package exports for the operation. */
  types: { requestBody: string; response: string; error: string };
  /** Each path parameter's example value, by name. */
  pathParameters: Record<string, string>;
  /** The first named request example, if the operation has a JSON body. */
  requestExample: unknown;
  /** The top-level keys the request schema requires. */
  requiredKeys: string[];
  /**
   * Whether the request schema's top level declares `additionalProperties` (other than false):
   * openapi-typescript then gives its type an index signature, so an unknown key compiles.
   */
  declaresAdditionalKeys: boolean;
  /** Component names of the success and error response schemas (`$ref`s), for type tests. */
  successSchemas: string[];
  errorSchemas: string[];
  /** How the client treats calls of this operation: see `clientBehaviourOf`. */
  client: ClientBehaviour;
  /** Where its calls are sent and in which media types and parameter styles: see `operationWireOf`. */
  wire: OperationWire;
}

/** What the client's runtime limits need from one operation. */
export interface ClientBehaviour {
  /** Whether the client retries the operation by default: see `retriedByDefault`. */
  retried: boolean;
  /** Why, in words, for the README: the spec's `x-idempotent`, or the method's HTTP semantics. */
  retriedBecause: string;
  /** Each documented error status with its JSON schema's component name (if a `$ref`), for type tests. */
  errorStatuses: { status: number; schema: string | undefined }[];
}

/** The methods RFC 9110 calls idempotent: a repeat leaves the state one request would. */
const idempotentMethods: readonly HttpMethod[] = ["get", "head", "options", "trace", "put", "delete"];

/**
 * The retry rule: an operation's `x-idempotent: true|false` where the spec declares it, else
 * whether HTTP calls its method idempotent. So POST and PATCH are retried only where the spec
 * says so: what a PATCH body does twice is the API's to say, not the generator's.
 */
function retriedByDefault(operation: Operation): Pick<ClientBehaviour, "retried" | "retriedBecause"> {
  const declared = (operation.object as { "x-idempotent"?: unknown })["x-idempotent"];
  if (typeof declared === "boolean")
    return { retried: declared, retriedBecause: `the spec declares \`x-idempotent: ${declared}\`` };
  const retried = idempotentMethods.includes(operation.method);
  return {
    retried,
    retriedBecause: `HTTP ${retried ? "calls" : "does not call"} ${operation.method.toUpperCase()} idempotent`,
  };
}

function clientBehaviourOf(operation: Operation, responses: { status: string; schema: unknown }[]): ClientBehaviour {
  return {
    ...retriedByDefault(operation),
    errorStatuses: responses
      .filter(({ status }) => /^[345]\d\d$/.test(status))
      .map(({ status, schema }) => ({ status: Number(status), schema: componentNames([schema])[0] })),
  };
}

export const packageScope = "@contracts";

function fail(api: Api, where: string, problem: string): never {
  throw new SpecError(api, [`${repoRelative(api.specPath, api.root)} at ${where}: ${problem}`]);
}

/** The first server's URL with its variables set to their defaults: the client's default baseUrl. */
function defaultBaseUrl(api: Api, document: OpenAPI3): string {
  const url = defaultServerUrl(document);
  if (url === undefined) fail(api, "#/servers", "no server: add one, its URL becomes the client's default baseUrl");
  const unset = /\{([^}]+)\}/.exec(url);
  if (unset) fail(api, "#/servers/0/variables", `server variable {${unset[1]}} has no default`);
  return url;
}

/** The one security scheme every operation uses, as a header and a prefix. */
function authOf(api: Api, document: OpenAPI3): ApiModel["auth"] {
  const names = new Set(
    operationsOf(document).flatMap((operation) => securitySchemesOf(document, operation).map(({ name }) => name)),
  );
  if (names.size !== 1) {
    fail(
      api,
      "security",
      `the client needs exactly one security scheme across operations, found ${names.size} (${[...names].join(", ") || "none"})`,
    );
  }
  const [name] = [...names] as [string];
  const [operation] = operationsOf(document);
  const credentials = operation && credentialsOf(document, operation);
  if (credentials) return { in: "header", name: credentials.header, prefix: credentials.prefix };
  return fail(
    api,
    `#/components/securitySchemes/${name}`,
    "unsupported security scheme: the client supports HTTP bearer and apiKey in a header",
  );
}

function componentNames(schemas: unknown[]): string[] {
  return schemas.flatMap((schema) => {
    const ref = (schema as { $ref?: string } | undefined)?.$ref;
    return ref?.startsWith("#/components/schemas/") ? [ref.slice("#/components/schemas/".length)] : [];
  });
}

function typeNames(operationId: string): OperationModel["types"] {
  const stem = pascalCase(operationId);
  return { requestBody: `${stem}RequestBody`, response: `${stem}Response`, error: `${stem}Error` };
}

function operationModel(document: OpenAPI3, operation: Operation): OperationModel {
  const { object } = operation;
  const example = exampleCall(document, operation);
  const requestSchema = requestSchemaOf(document, operation) as
    | { required?: string[]; additionalProperties?: unknown }
    | undefined;
  const responses = responsesOf(document, operation);
  return {
    id: operation.id,
    method: operation.method,
    path: operation.path,
    summary: object.summary ?? `${operation.method.toUpperCase()} ${operation.path}`,
    types: typeNames(operation.id),
    pathParameters: example.pathParameters,
    requestExample: example.body,
    requiredKeys: requestSchema?.required ?? [],
    declaresAdditionalKeys:
      requestSchema?.additionalProperties !== undefined && requestSchema.additionalProperties !== false,
    successSchemas: componentNames(
      responses.filter(({ status }) => status.startsWith("2")).map(({ schema }) => schema),
    ),
    errorSchemas: componentNames(
      responses.filter(({ status }) => /^[45]/.test(status) || status === "default").map(({ schema }) => schema),
    ),
    client: clientBehaviourOf(operation, responses),
    wire: operationWireOf(document, operation),
  };
}

export function apiModel(api: Api, document: OpenAPI3): ApiModel {
  return {
    id: api.id,
    title: document.info.title,
    specFile: repoRelative(api.specPath, api.root),
    packageName: `${packageScope}/${api.id}`,
    version: document.info.version,
    apiKeyEnv: apiKeyEnvOf(api.id),
    defaultBaseUrl: defaultBaseUrl(api, document),
    serverDescription: document.servers?.[0]?.description?.trim().replaceAll(/\s+/g, " "),
    auth: authOf(api, document),
    operations: operationsOf(document).map((operation) => operationModel(document, operation)),
    document,
  };
}
