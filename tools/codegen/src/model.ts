import type { OpenAPI3, SchemaObject } from "openapi-typescript";
import { exampleCall, operationsOf, repoRelative, resolveRef, SpecError, type Api, type HttpMethod, type Operation } from "@contracts/registry";

/** Everything the emitters need to know about one API, read from its spec once. */
export interface ApiModel {
  id: string;
  title: string;
  /** e.g. `specs/bland.yaml` */
  specFile: string;
  packageName: string;
  /** e.g. `BLAND_API_KEY` */
  apiKeyEnv: string;
  defaultBaseUrl: string;
  auth: { header: string; prefix: string };
  operations: OperationModel[];
  document: OpenAPI3;
}

export interface OperationModel {
  id: string;
  method: HttpMethod;
  path: string;
  summary: string;
  pathParameters: { name: string; example: string }[];
  /** The first named request example, if the operation has a JSON body. */
  requestExample: unknown;
  requestSchema: SchemaObject | undefined;
  /** Component names of the success and error response schemas (`$ref`s), for type tests. */
  successSchemas: string[];
  errorSchemas: string[];
  /** How the client treats calls of this operation: see `clientBehaviourOf`. */
  client: ClientBehaviour;
}

/** What the client's runtime limits need from one operation. */
export interface ClientBehaviour {
  /** Whether a repeat of the request is safe, so the client retries it by default. */
  idempotent: boolean;
  /** Each documented error status with its JSON schema's component name (if a `$ref`), for type tests. */
  errorStatuses: { status: number; schema: string | undefined }[];
}

/**
 * The retry rule: methods RFC 9110 calls idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE),
 * and PATCH, whose bodies in these APIs set fields to values (applying one twice leaves the
 * same state); never POST. An operation's `x-idempotent: true|false` overrides the rule.
 */
export const retriedMethods: readonly HttpMethod[] = ["get", "head", "options", "trace", "put", "delete", "patch"];

function clientBehaviourOf(operation: Operation, responses: { status: string; schema: unknown }[]): ClientBehaviour {
  const declared = (operation.object as { "x-idempotent"?: unknown })["x-idempotent"];
  return {
    idempotent: typeof declared === "boolean" ? declared : retriedMethods.includes(operation.method),
    errorStatuses: responses
      .filter(({ status }) => /^[345]\d\d$/.test(status))
      .map(({ status, schema }) => ({ status: Number(status), schema: componentNames([schema])[0] })),
  };
}

export const packageScope = "@contracts";

/** `pipecat-cloud` → `PIPECAT_CLOUD_API_KEY` */
export function apiKeyEnvOf(id: string): string {
  return `${id.toUpperCase().replaceAll(/[^A-Z0-9]+/g, "_")}_API_KEY`;
}

/** `update-org properties` → `UpdateOrgProperties` */
export function pascalCase(name: string): string {
  return name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_match, _separator, letter: string) => letter.toUpperCase());
}

function fail(api: Api, where: string, problem: string): never {
  throw new SpecError(api, [`${repoRelative(api.specPath, api.root)} at ${where}: ${problem}`]);
}

/** The first server's URL with its variables set to their defaults. */
function defaultBaseUrl(api: Api, document: OpenAPI3): string {
  const server = document.servers?.[0];
  if (!server) fail(api, "#/servers", "no server: add one, its URL becomes the client's default baseUrl");
  return server.url.replaceAll(/\{([^}]+)\}/g, (_match, name: string) => {
    const variable = server.variables?.[name];
    if (!variable) fail(api, "#/servers/0/variables", `server variable {${name}} has no default`);
    return variable.default;
  });
}

/** The one security scheme every operation uses, as a header and a prefix. */
function authOf(api: Api, document: OpenAPI3): ApiModel["auth"] {
  const names = new Set(
    operationsOf(document).flatMap((operation) =>
      (operation.object.security ?? document.security ?? []).flatMap((requirement) => Object.keys(requirement)),
    ),
  );
  if (names.size !== 1) {
    fail(api, "security", `the client needs exactly one security scheme across operations, found ${names.size} (${[...names].join(", ") || "none"})`);
  }
  const [name] = [...names] as [string];
  const scheme = resolveRef(document, document.components?.securitySchemes?.[name]);
  const where = `#/components/securitySchemes/${name}`;
  if (scheme?.type === "http" && scheme.scheme.toLowerCase() === "bearer") return { header: "Authorization", prefix: "Bearer " };
  if (scheme?.type === "apiKey" && scheme.in === "header") return { header: scheme.name, prefix: "" };
  return fail(api, where, "unsupported security scheme: the client supports HTTP bearer and apiKey in a header");
}

function componentNames(schemas: unknown[]): string[] {
  return schemas.flatMap((schema) => {
    const ref = (schema as { $ref?: string } | undefined)?.$ref;
    return ref?.startsWith("#/components/schemas/") ? [ref.slice("#/components/schemas/".length)] : [];
  });
}

function operationModel(document: OpenAPI3, operation: Operation): OperationModel {
  const { object } = operation;
  const example = exampleCall(document, operation);
  const requestBody = object.requestBody && resolveRef(document, object.requestBody);
  const content = requestBody?.content["application/json"] && resolveRef(document, requestBody.content["application/json"]);
  const responses = Object.entries(object.responses ?? {}).map(([status, response]) => ({
    status,
    schema: resolveRef(document, response).content?.["application/json"]?.schema,
  }));
  return {
    id: operation.id,
    method: operation.method,
    path: operation.path,
    summary: object.summary ?? `${operation.method.toUpperCase()} ${operation.path}`,
    pathParameters: Object.entries(example.pathParameters).map(([name, value]) => ({ name, example: value })),
    requestExample: example.body,
    requestSchema: content?.schema && resolveRef(document, content.schema),
    successSchemas: componentNames(responses.filter(({ status }) => status.startsWith("2")).map(({ schema }) => schema)),
    errorSchemas: componentNames(responses.filter(({ status }) => /^[45]/.test(status) || status === "default").map(({ schema }) => schema)),
    client: clientBehaviourOf(operation, responses),
  };
}

export function apiModel(api: Api, document: OpenAPI3): ApiModel {
  return {
    id: api.id,
    title: document.info.title,
    specFile: repoRelative(api.specPath, api.root),
    packageName: `${packageScope}/${api.id}`,
    apiKeyEnv: apiKeyEnvOf(api.id),
    defaultBaseUrl: defaultBaseUrl(api, document),
    auth: authOf(api, document),
    operations: operationsOf(document).map((operation) => operationModel(document, operation)),
    document,
  };
}
