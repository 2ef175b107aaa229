import { sep } from "node:path";
import { fittingSample, madeUpBody } from "@contracts/cases";
import type { MockOperation, MockParameter, MockResponse, MockScheme } from "@contracts/client-core/msw";
import {
  type Api,
  apiKeyEnvOf,
  compiledSchema,
  credentialEnvOf,
  credentialsOptionOf,
  defaultServerUrl,
  directional,
  eventDataSchemaOf,
  eventSchemaOf,
  exampleCall,
  type HttpMethod,
  incomingRequestsOf,
  isBinary,
  isJson,
  isObject,
  type Json,
  jsonMediaTypeOf,
  jsonPointer,
  methodNameOf,
  minimalFile,
  namedExamples,
  type Operation,
  operationsOf,
  ownDocument,
  type Pagination,
  paginationOf,
  parametersOf,
  readingWarnings,
  repoRelative,
  requestBodyOf,
  requestSchemaOf,
  resolvedOrNone,
  resolveRef,
  responseSchemaPointer,
  responsesOf,
  retryRuleOf,
  type SentScheme,
  SpecError,
  securityRequirementsOf,
  specFilesOf,
  withFirstWrongType,
} from "@contracts/spec";
import type {
  MediaTypeObject,
  OpenAPI3,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from "openapi-typescript";
import { standaloneAjv } from "./ajv.ts";
import { bodyType, eventDataType } from "./calls.ts";
import { eventDataOf, eventStream, type OperationWire, operationWireOf } from "./details.ts";
import { FileExample } from "./print.ts";

/** Everything the emitters need to know about one API, read from its spec once. */
export interface ApiModel {
  id: string;
  title: string;
  /** e.g. `specs/bland.yaml` */
  specFile: string;
  /**
   * Every file the spec was read from, repository-relative with `/`: `specFile` first, then each
   * file its `$ref`s reach, sorted (`specFilesOf`). The package's tasks in turbo's cache take them all
   * as inputs. Just `specFile` for a document `loadSpec` did not return.
   */
  specFiles: string[];
  packageName: string;
  /** `info.version` of the spec, the package's version. */
  version: string;
  /** How the client takes credentials, from the spec's security schemes. */
  credentials: CredentialsModel;
  /** The first server, undefined when the spec names none (then `baseUrl` is required). */
  server: ServerModel | undefined;
  operations: OperationModel[];
  /** The webhooks and callbacks with a JSON body: what the API sends its callers. */
  webhooks: WebhookModel[];
  /**
   * Whether the spec marks a property `readOnly` or `writeOnly`: only then are the schema types
   * marked (openapi-typescript's `readWriteMarkers`), and `Schemas` differ from the body types,
   * which leave the marked properties out (client-core's `Readable`, `Writable`).
   */
  readWriteMarkers: boolean;
  /** The security schemes as the mocks check them, by the client's names for them. */
  mockSchemes: Record<string, MockScheme>;
  /**
   * The bundled spec, for the compilers that take it whole: openapi-typescript (the types) and Ajv
   * (the validators, which compile the schemas at the pointers the model names). No emitter reads it otherwise.
   */
  document: OpenAPI3;
}

/** The first server: its URL with each `{variable}` set to its default, and the variables, for the README. */
export interface ServerModel {
  url: string;
  /** Its description on one line, if it has one. */
  description: string | undefined;
  variables: { name: string; default: string; enum: string[] | undefined }[];
}

/** A webhook or callback the client package types and validates for the receiving side. */
export interface WebhookModel {
  /** The webhook's name, or `<operationId>.<callback name>`. */
  name: string;
  /** The payload's TypeScript type, in terms of the generated schema module. */
  type: string;
  /** Where its schema is in the spec, for the validators. */
  schemaPointer: string;
}

/** A security scheme the client sends, with the environment variable(s) its credential falls back to. */
export interface SchemeModel extends SentScheme {
  /** One variable, or a user name's and a password's for HTTP basic. */
  env: string | [username: string, password: string];
}

/**
 * How a client takes credentials: `none` for an API without security; `apiKey` (one option, its
 * variable `<ID>_API_KEY`) for an API whose operations use one apiKey or HTTP bearer scheme;
 * `credentials` (one per scheme, by its name in the spec) for every other.
 */
export type CredentialsModel =
  | { option: "none" }
  | { option: "apiKey"; env: string; scheme: SchemeModel; required: string[][] }
  | { option: "credentials"; schemes: SchemeModel[]; required: string[][] };

export interface OperationModel {
  /** The operationId, else `<method> <path>`: how tools and messages name the operation. */
  id: string;
  /** The client's method for it (see `methodNameOf`); the types are named after it. */
  name: string;
  method: HttpMethod;
  path: string;
  summary: string;
  /** The names of the types the client package exports for the operation. */
  types: { requestBody: string; response: string; error: string };
  /** The example value of each path parameter and each required query, header and cookie one, by location; locations without any left out. */
  exampleParams: Partial<Record<"path" | "query" | "header" | "cookie", Record<string, unknown>>>;
  /** The request body's first example (or a value sampled from its schema), in the media type the client prefers. */
  requestExample: unknown;
  /**
   * The request example with its first string, number or boolean of another type, where the request
   * schema refuses that (a misuse the type tests expect not to compile); undefined where it accepts it
   * (a map of values the schema leaves open, typed `unknown`) or there is no such value.
   */
  wrongTypeExample: unknown;
  /** Whether the spec requires a request body. */
  requestBodyRequired: boolean;
  /** The top-level keys the request schema requires. */
  requiredKeys: string[];
  /** Whether the request body's type takes any key, so an unknown key compiles (see `typedAsRecord`). */
  declaresAdditionalKeys: boolean;
  /**
   * The success and error bodies as type tests spell them: each response's component schema name
   * (`$ref`), `undefined` for one without a body; empty where a body has a type no name spells.
   */
  successSchemas: (string | undefined)[];
  errorSchemas: (string | undefined)[];
  /** Whether a documented success (2xx) response has a body, and every success body a schema. */
  successBody: boolean;
  /** Whether a documented success (2xx) response has none (its `data` is then undefined). */
  successWithoutBody: boolean;
  /** How the client treats calls of this operation: see `clientBehaviourOf`. */
  client: ClientBehaviour;
  /** The operation's security requirements (alternatives of schemes needed together), in the client's scheme names. */
  security: string[][];
  /** Where its calls are sent and in which media types and parameter styles: see `operationWireOf`. */
  wire: OperationWire;
  /** How its list answers page, where they do (the spec layer's `paginationOf`): its `client.paginate` entry and the mocks' pages. */
  pagination: Pagination | undefined;
  /**
   * Where its success answer may be an event stream (`text/event-stream`, alone or beside another
   * media type): how each event's data is read, and where the event schema is in the spec.
   */
  stream: StreamModel | undefined;
  /** How the mocks answer it: its parameters as they arrive, its body, its documented responses. */
  mock: MockOperation;
  /** Each exact status it documents (`200`, not `2XX`), with its JSON examples' names. */
  statuses: { status: number; examples: string[] }[];
  /** The schemas its validators check, by pointer into the spec: see `ChecksModel`. */
  checks: ChecksModel;
}

/** An operation's event stream: its events' data read as JSON or text, and its event schema's pointer (if it has one). */
export interface StreamModel {
  data: "json" | "text";
  /** Whether the success answer is only an event stream (not also JSON or another type, which a call gets unless it asks to stream). */
  alone: boolean;
  schemaPointer: string | undefined;
  /** Its events' data type where the type tests can name it: its schema's component, as responses hold it. */
  type: string | undefined;
}

/** Where a success response's event schema is: OpenAPI 3.2's `itemSchema` where given, else `schema`. */
function eventSchemaPointer(operation: Operation, status: string, media: MediaTypeObject): string {
  const key = "itemSchema" in media ? "itemSchema" : "schema";
  return `${operation.pointer}${jsonPointer("responses", status, "content", eventStream, key)}`;
}

/** The operation's event stream, where its success answer may be `text/event-stream` (alone or beside another type). */
function streamOf(document: OpenAPI3, operation: Operation): StreamModel | undefined {
  const success = Object.entries(operation.object.responses ?? {}).find(
    ([status, response]) => status.startsWith("2") && resolveRef(document, response).content,
  );
  const content = success && resolveRef(document, success[1]).content;
  if (content?.[eventStream] === undefined) return undefined;
  const media = resolveRef(document, content[eventStream]);
  const [component] = componentNames([media.schema]);
  // Where the schema describes the event itself, its `data` property types the data (client-core's `EventDataOf`).
  const fields = eventDataSchemaOf(document, media.schema) !== undefined;
  return {
    data: eventDataOf(document, media),
    alone: Object.keys(content).length === 1,
    schemaPointer: eventSchemaOf(media) && eventSchemaPointer(operation, success![0], media),
    // openapi-typescript types `schema` (OpenAPI 3.2's `itemSchema` it does not read).
    type: component === undefined ? undefined : fields ? eventDataType(component) : bodyType(component),
  };
}

const formMediaType = "application/x-www-form-urlencoded";

/** What the precompiled validators check of one operation, each schema by its JSON pointer in the spec. */
export interface ChecksModel {
  /** Each documented JSON response with a schema: its status as the lookup asks for it (`200`, `4XX`, `default`). */
  responses: { status: string; schemaPointer: string }[];
  /** The JSON request body's schema, if it has one. */
  body: string | undefined;
  /** The URL-encoded form body's schema, if it has one: its fields arrive as text. */
  form: string | undefined;
  /** Per location, its parameters as one object: each by the name it arrives under, its schema's pointer if it has a schema. */
  parameters: {
    location: "path" | "query" | "header" | "cookie";
    properties: { name: string; schemaPointer: string | undefined }[];
    required: string[];
  }[];
}

/** What the client's runtime limits need from one operation. */
export interface ClientBehaviour {
  /** Whether the client retries the operation by default: see `retryRuleOf`. */
  retried: boolean;
  /** Why, in words, for the README: the spec's `x-idempotent`, or the method's HTTP semantics. */
  retriedBecause: string;
  /**
   * Each documented error status with the component names of its bodies (one per media type, as the
   * client types `error` by all of them), for type tests; empty where a body has a type no name spells.
   */
  errorStatuses: { status: number; schemas: string[] }[];
}

function retriedOf(operation: Operation): Pick<ClientBehaviour, "retried" | "retriedBecause"> {
  const { retried, because } = retryRuleOf(operation);
  return { retried, retriedBecause: because };
}

function clientBehaviourOf(document: OpenAPI3, operation: Operation): ClientBehaviour {
  return {
    ...retriedOf(operation),
    errorStatuses: Object.entries(operation.object.responses ?? {})
      .filter(([status]) => /^[345]\d\d$/.test(status))
      .map(([status, response]) => {
        const content = resolveRef(document, response).content ?? {};
        // A body in a media type the client does not read as JSON is typed by no component name.
        const names = Object.keys(content).every(isJson) ? bodyComponentNames(document, [response]) : [];
        const schemas = names.includes(undefined) ? [] : [...new Set(names as string[])];
        return { status: Number(status), schemas };
      }),
  };
}

export const packageScope = "@contracts";

/**
 * `value` with each string the schema says is binary (`format: binary`, as a multipart file or a
 * whole binary body) as a `FileExample`, for the typed client, which takes a Blob there.
 */
function withFiles(
  document: OpenAPI3,
  schemaOrRef: SchemaObject | ReferenceObject | undefined,
  value: unknown,
): unknown {
  if (schemaOrRef === undefined) return value;
  const schema = resolveRef(document, schemaOrRef) as SchemaObject & {
    properties?: Record<string, SchemaObject>;
    items?: SchemaObject;
  };
  if (typeof value === "string" && "format" in schema && schema.format === "binary") return new FileExample(value);
  if (Array.isArray(value)) return value.map((item) => withFiles(document, schema.items, item));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, withFiles(document, schema.properties?.[name], item)]),
    );
  return value;
}

const shapeOf = (document: OpenAPI3, schema: SchemaObject | ReferenceObject | undefined) => {
  const type = schema && (resolveRef(document, schema) as { type?: unknown }).type;
  return type === "array" || type === "object" ? type : undefined;
};

/** How the mock reads one parameter (see client-core's `MockParameter`). */
function mockParameter(document: OpenAPI3, parameter: ParameterObject): MockParameter {
  const shape = shapeOf(document, parameter.schema);
  return {
    name: parameter.name,
    in: parameter.in as MockParameter["in"],
    ...(parameter.style !== undefined && { style: parameter.style }),
    ...(parameter.explode !== undefined && { explode: parameter.explode }),
    ...(shape !== undefined && { shape }),
  };
}

/**
 * What the mocks answer in a media type other than JSON or a file: its own examples, served as they
 * are written, else a body made up to fit its schema, as the Prism mocks make one (OpenAI's SDP
 * answer); for an event stream, one event, written field by field where its schema describes the
 * event itself.
 */
function mockMedia(
  document: OpenAPI3,
  operation: Operation,
  status: string,
  mediaType: string,
  media: MediaTypeObject,
  madeUp: BodyFitter,
): Pick<MockResponse, "examples" | "body" | "eventFields"> {
  const examples = namedExamples(document, media.examples);
  const single = examples.length === 0 && "example" in media;
  const stream = mediaType === eventStream;
  const schema = stream ? eventSchemaOf(media) : media.schema;
  const pointer = stream
    ? eventSchemaPointer(operation, status, media)
    : responseSchemaPointer(operation, status, mediaType);
  const body = single ? media.example : examples.length === 0 && schema ? madeUp(pointer, schema) : undefined;
  const eventFields = stream && eventDataSchemaOf(document, schema) !== undefined;
  return { examples, ...(body !== undefined && { body }), ...(eventFields && { eventFields: true as const }) };
}

/** Each documented response: its media type, named examples and default body (see client-core's `MockResponse`). */
function mockResponses(
  document: OpenAPI3,
  operation: Operation,
  responses: ReturnType<typeof responsesOf>,
  madeUp: BodyFitter,
): MockResponse[] {
  return responses.map((json) => {
    const response = resolveRef(document, operation.object.responses![json.status]!) as ResponseObject;
    const mediaTypes = Object.keys(response.content ?? {});
    if (jsonMediaTypeOf(response.content) === undefined && mediaTypes.length > 0) {
      const mediaType = mediaTypes[0]!;
      // A file (an image, a PDF): the smallest valid one of its type, as the Prism mocks answer.
      if (isBinary(mediaType))
        return { status: json.status, mediaType, examples: [], file: minimalFile(mediaType).toString("base64") };
      const media = resolveRef(document, response.content![mediaType]!);
      return {
        status: json.status,
        mediaType,
        ...mockMedia(document, operation, json.status, mediaType, media, madeUp),
      };
    }
    if (mediaTypes.length === 0) return { status: json.status, examples: [] };
    // Named examples come first; then the single `example`, else a body generated from the schema.
    const body =
      json.examples.length > 0
        ? undefined
        : json.firstExample
          ? json.firstExample.value
          : json.schema && madeUp(json.schemaPointer, json.schema);
    // An event stream beside the JSON: answered when the request's Accept prefers it (client-core's `negotiated`).
    const streamed = response.content?.[eventStream] && resolveRef(document, response.content[eventStream]);
    const first = mediaTypes.indexOf(eventStream) < mediaTypes.indexOf(json.mediaType!);
    const events = streamed && {
      ...mockMedia(document, operation, json.status, eventStream, streamed, madeUp),
      ...(first && { first: true as const }),
    };
    return {
      status: json.status,
      mediaType: json.mediaType,
      examples: json.examples,
      ...(body !== undefined && { body }),
      ...(json.schema !== undefined && { checked: true as const }),
      ...(events && { events }),
    };
  });
}

const parameterLocations = ["path", "query", "header", "cookie"] as const;

/** The schemas the validators check for an operation (see `ChecksModel`). */
function checksOf(document: OpenAPI3, operation: Operation, responses: ReturnType<typeof responsesOf>): ChecksModel {
  const declared = parametersOf(document, operation);
  return {
    responses: responses
      .filter((response) => response.schema !== undefined)
      // `4xx` is the range `4XX`; `default` stays as written, the key the lookup asks for.
      .map((response) => ({
        status: response.status === "default" ? "default" : response.status.toUpperCase(),
        schemaPointer: response.schemaPointer,
      })),
    body: ((body) => (body?.schema ? body.schemaPointer : undefined))(requestBodyOf(document, operation)),
    form: ((body) => (body?.schema ? body.schemaPointer : undefined))(
      requestBodyOf(document, operation, formMediaType),
    ),
    parameters: parameterLocations.flatMap((location) => {
      const here = declared.filter(({ object }) => object.in === location);
      if (here.length === 0) return [];
      // Headers arrive by their lower-cased names.
      const nameOf = (parameter: ParameterObject) =>
        location === "header" ? parameter.name.toLowerCase() : parameter.name;
      return [
        {
          location,
          properties: here.map(({ object, schemaPointer }) => ({
            name: nameOf(object),
            schemaPointer: object.schema ? schemaPointer : undefined,
          })),
          required: here.filter(({ object }) => object.required).map(({ object }) => nameOf(object)),
        },
      ];
    }),
  };
}

/** The schemes as the mocks check them, by the client's names for them. */
function mockSchemesOf(credentials: CredentialsModel): Record<string, MockScheme> {
  const checked = (scheme: SchemeModel): MockScheme => ({
    in: scheme.in,
    name: scheme.name,
    ...(scheme.kind === "basic"
      ? { scheme: "basic" as const }
      : scheme.kind === "token" || scheme.prefix === "Bearer "
        ? { scheme: "bearer" as const }
        : {}),
  });
  if (credentials.option === "none") return {};
  if (credentials.option === "apiKey") return { apiKey: checked(credentials.scheme) };
  return Object.fromEntries(credentials.schemes.map((scheme) => [scheme.schemeName, checked(scheme)]));
}

function serverOf(document: OpenAPI3): ServerModel | undefined {
  const [server] = document.servers ?? [];
  if (server === undefined) return undefined;
  return {
    url: defaultServerUrl(document)!,
    description: server.description?.trim().replaceAll(/\s+/g, " "),
    variables: Object.entries(server.variables ?? {}).map(([name, variable]) => ({
      name,
      default: variable.default,
      enum: variable.enum,
    })),
  };
}

/** The example call's body: the spec's example (else a sample) where the schema accepts it as a request, else one made up; files as `FileExample`s. */
function requestExample(
  document: OpenAPI3,
  operation: Operation,
  example: ReturnType<typeof exampleCall>,
  fitter: BodyFitter,
): unknown {
  if (example.bodyMediaType === undefined) return example.body;
  const body = requestBodyOf(document, operation, example.bodyMediaType);
  if (body?.schema === undefined) return example.body;
  // Fitted first: a schema Ajv cannot compile is refused here, with its place.
  const fitted = fitter(body.schemaPointer, body.schema, example.body);
  return withFiles(document, body.schema, asTheTypesTakeIt(document, body.schema, fitted));
}

type ObjectSchema = SchemaObject & {
  properties?: Record<string, SchemaObject | ReferenceObject>;
  required?: string[];
  additionalProperties?: unknown;
  patternProperties?: unknown;
  items?: SchemaObject | ReferenceObject;
  allOf?: (SchemaObject | ReferenceObject)[];
  oneOf?: unknown;
  anyOf?: unknown;
};

/**
 * The value as openapi-typescript's request type takes it in an object literal. The keys its object
 * schemas do not name are left out, where they name every key they take (`properties` and
 * `required`, no `additionalProperties` or `patternProperties`): JSON Schema lets other keys through,
 * TypeScript refuses them, and vendors' examples carry some (Twilio's `PlayBeep`, `Tags`). A property
 * with a `default` the value leaves out is sent with that default: openapi-typescript types such a
 * property as required (DigitalOcean's `instance_count`). Under a `oneOf`/`anyOf` the value is kept whole.
 */
function asTheTypesTakeIt(
  document: OpenAPI3,
  schema: SchemaObject | ReferenceObject | undefined,
  value: unknown,
): unknown {
  if (schema === undefined) return value;
  const resolved = resolveRef(document, schema) as ObjectSchema;
  if (Array.isArray(value)) return value.map((item) => asTheTypesTakeIt(document, resolved.items, item));
  if (value === null || typeof value !== "object" || value instanceof FileExample) return value;
  const members = [resolved, ...(resolved.allOf ?? []).map((member) => resolveRef(document, member) as ObjectSchema)];
  if (members.some((member) => member.oneOf || member.anyOf)) return value;
  const properties = Object.assign({}, ...members.map((member) => member.properties ?? {}));
  const named = new Set([...Object.keys(properties), ...members.flatMap((member) => member.required ?? [])]);
  const open =
    named.size === 0 ||
    members.some(
      (member) =>
        (member.additionalProperties !== undefined && member.additionalProperties !== false) ||
        member.patternProperties !== undefined,
    );
  const defaults = Object.entries(properties as Record<string, SchemaObject | ReferenceObject>).flatMap(
    ([key, property]) => {
      // A `default` beside a `$ref` (3.1) is the property's own.
      const { default: fallback, readOnly } = { ...(resolveRef(document, property) as SchemaObject), ...property };
      return key in value || fallback === undefined || readOnly ? [] : [[key, fallback]];
    },
  );
  return Object.fromEntries([
    ...Object.entries(value)
      .filter(([key]) => open || named.has(key))
      .map(([key, item]) => [key, asTheTypesTakeIt(document, properties[key], item)]),
    ...defaults,
  ]);
}

/** How the client takes credentials (see `CredentialsModel`), from the schemes its operations use. */
function credentialsModelOf(api: Api, document: OpenAPI3): CredentialsModel {
  const taken = credentialsOptionOf(document);
  if (taken.option === "none") return taken;
  const used = new Set(
    taken.option === "apiKey" ? [taken.scheme.schemeName] : taken.schemes.map((scheme) => scheme.schemeName),
  );
  const documentRequired = (document.security ?? []).map((requirement) =>
    Object.keys(requirement).filter((name) => used.has(name)),
  );
  if (taken.option === "apiKey") {
    const rename = (requirement: string[]) => requirement.map(() => "apiKey");
    return {
      option: "apiKey",
      env: apiKeyEnvOf(api.id),
      scheme: { ...taken.scheme, env: apiKeyEnvOf(api.id) },
      required: documentRequired.map(rename),
    };
  }
  const schemes = taken.schemes.map((scheme): SchemeModel => {
    const env = credentialEnvOf(api.id, scheme.schemeName);
    return { ...scheme, env: scheme.kind === "basic" ? [`${env}_USERNAME`, `${env}_PASSWORD`] : env };
  });
  return { option: "credentials", schemes, required: documentRequired };
}

function componentNames(schemas: unknown[]): string[] {
  return schemas.flatMap((schema) => {
    const ref = (schema as { $ref?: string } | undefined)?.$ref;
    return ref?.startsWith("#/components/schemas/") ? [ref.slice("#/components/schemas/".length)] : [];
  });
}

/**
 * The component names of the bodies of `responses` in the media types the client reads (its JSON
 * ones), `undefined` for a response without a body; empty where a body has no such name (a schema
 * written inline, no schema, or no JSON media type), as its type is then none the tests can spell.
 */
function bodyComponentNames(
  document: OpenAPI3,
  responses: (ResponseObject | ReferenceObject)[],
): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  for (const response of responses) {
    const content = resolveRef(document, response).content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) names.push(undefined);
    else if (!mediaTypes.some(isJson)) return [];
    for (const mediaType of mediaTypes.filter(isJson)) {
      const [name] = componentNames([content[mediaType]?.schema]);
      if (name === undefined) return [];
      names.push(name);
    }
  }
  return names;
}

/**
 * The statuses whose bodies the client types as `data` and as `error`: openapi-typescript-helpers'
 * `OkStatus` and `ErrorStatus` (client-core's `SuccessBodyOf` and `ErrorBodyOf` read them), so a type
 * test expects what the client's type holds. A 205 or a 419 is in neither: its body is typed by no call.
 */
const successKeys = new Set(["200", "201", "202", "203", "204", "206", "207", "2XX"]);
const errorKeys = new Set([
  ...["500", "501", "502", "503", "504", "505", "506", "507", "508", "510", "511", "5XX"],
  ...["400", "401", "402", "403", "404", "405", "406", "407", "408", "409", "410", "411", "412", "413", "414"],
  ...["415", "416", "417", "418", "420", "421", "422", "423", "424", "425", "426", "427", "428", "429", "430"],
  ...["431", "444", "450", "451", "497", "498", "499", "4XX", "default"],
]);
const isSuccessKey = (status: string) => successKeys.has(status);
const isErrorKey = (status: string) => errorKeys.has(status);

function typeNames(methodName: string): OperationModel["types"] {
  const stem = methodName.charAt(0).toUpperCase() + methodName.slice(1);
  return { requestBody: `${stem}RequestBody`, response: `${stem}Response`, error: `${stem}Error` };
}

function operationModel(
  document: OpenAPI3,
  operation: Operation,
  credentials: CredentialsModel,
  fitters: Record<"request" | "response", BodyChecks>,
  api: Api,
): OperationModel {
  const { object } = operation;
  const example = exampleCall(document, operation);
  const requestSchema = requestSchemaOf(document, operation) as
    | ({ required?: string[] } & Record<string, unknown>)
    | undefined;
  const responses = responsesOf(document, operation);
  const pagination = paginationOf(document, operation, api);
  const responsesWhere = (matches: (status: string) => boolean) =>
    Object.entries(object.responses ?? {})
      .filter(([status]) => matches(status))
      .map(([, response]) => response);
  // Each success response's media types.
  const successContents = responsesWhere(isSuccessKey).map((response) =>
    Object.values(resolveRef(document, response).content ?? {}),
  );
  const name = methodNameOf({ operationId: object.operationId, method: operation.method, path: operation.path });
  const security = securityRequirementsOf(document, operation);
  const sentSecurity =
    credentials.option === "apiKey" ? security.map((requirement) => requirement.map(() => "apiKey")) : security;
  const requestBody = object.requestBody && resolveRef(document, object.requestBody);
  const bodyExample = requestExample(document, operation, example, fitters.request.fit);
  // Where the body's type takes any body, every misuse of it compiles: the type tests try none.
  const bodyTyped = !typedLoosely(document, requestSchema);
  return {
    id: operation.id,
    name,
    method: operation.method,
    path: operation.path,
    summary: object.summary ?? `${operation.method.toUpperCase()} ${operation.path}`,
    types: typeNames(name),
    exampleParams: Object.fromEntries(
      Object.entries({
        path: example.pathValues,
        query: example.query,
        header: example.header,
        cookie: example.cookie,
      }).filter(([, values]) => Object.keys(values).length > 0),
    ),
    requestExample: bodyExample,
    wrongTypeExample: bodyTyped
      ? wrongTypeExample(document, operation, example.bodyMediaType, bodyExample, fitters.request)
      : undefined,
    requestBodyRequired: example.bodyRequired,
    requiredKeys: bodyTyped ? (requestSchema?.required ?? []) : [],
    declaresAdditionalKeys: !bodyTyped || typedAsRecord(requestSchema),
    // A media type without a schema, or with `schema: {}`, types its body `unknown`, which no check can narrow.
    successBody:
      successContents.some((mediaTypes) => mediaTypes.length > 0) &&
      successContents.flat().every((media) => {
        const { schema } = resolveRef(document, media);
        return schema !== undefined && !(isObject(schema) && Object.keys(schema).length === 0);
      }),
    successWithoutBody: successContents.some((mediaTypes) => mediaTypes.length === 0),
    successSchemas: bodyComponentNames(document, responsesWhere(isSuccessKey)),
    errorSchemas: bodyComponentNames(document, responsesWhere(isErrorKey)),
    client: clientBehaviourOf(document, operation),
    security: sentSecurity,
    wire: operationWireOf(document, operation),
    pagination,
    stream: streamOf(document, operation),
    mock: {
      method: operation.method,
      path: operation.path,
      security: sentSecurity,
      parameters: parametersOf(document, operation).map(({ object }) => mockParameter(document, object)),
      ...((requestBodyOf(document, operation) || requestBodyOf(document, operation, formMediaType)) && {
        body: { required: requestBody?.required === true },
      }),
      responses: mockResponses(document, operation, responses, fitters.response.madeUp),
      ...(pagination && { pagination }),
    },
    statuses: responses
      .filter(({ status }) => /^\d{3}$/.test(status))
      .map(({ status, examples }) => ({ status: Number(status), examples: examples.map(({ name }) => name) })),
    checks: checksOf(document, operation, responses),
  };
}

/** Refuses two operations the client would give one method name, naming both and the fix. */
function checkMethodNames(api: Api, operations: OperationModel[]): void {
  const byName = new Map<string, OperationModel[]>();
  for (const operation of operations) byName.set(operation.name, [...(byName.get(operation.name) ?? []), operation]);
  const clashes = [...byName].filter(([, named]) => named.length > 1);
  if (clashes.length === 0) return;
  throw new SpecError(
    api,
    clashes.map(
      ([name, named]) =>
        `${repoRelative(api.specPath, api.root)}: ${named.map(({ method, path }) => `#${jsonPointer("paths", path, method)}`).join(" and ")} both make the client method ${name}: give them operationIds that differ in more than punctuation`,
    ),
  );
}

function webhooksOf(document: OpenAPI3): WebhookModel[] {
  return incomingRequestsOf(document).map(({ name, kind, method, schema, schemaPointer }) => {
    const [component] = componentNames([schema]);
    const type =
      component !== undefined
        ? `Readable<Schemas[${JSON.stringify(component)}]>`
        : kind === "webhook"
          ? `RequestBodyOf<webhooks[${JSON.stringify(name)}][${JSON.stringify(method)}]>`
          : "unknown";
    return { name, type, schemaPointer };
  });
}

/** The spec's files as `specFiles` holds them: the root file first, the rest sorted, `/`-separated. */
function specFilesModel(api: Api, document: OpenAPI3): string[] {
  const relative = (file: string) => repoRelative(file, api.root).split(sep).join("/");
  const [first, ...others] = (specFilesOf(document) ?? [api.specPath]).map(relative);
  return [first!, ...others.filter((file) => file !== first).sort()];
}

/**
 * A body its schema accepts (see `bodyChecks`), by the schema's pointer: `candidate` where the
 * schema accepts it, else one made up.
 */
type BodyFitter = (schemaPointer: string, schema: SchemaObject | ReferenceObject, candidate?: unknown) => unknown;

/** A direction's bodies: made to fit (`BodyFitter`), and judged, by the same compiled schemas. */
interface BodyChecks {
  fit: BodyFitter;
  accepts: (schemaPointer: string, value: unknown) => boolean;
  /** A response body where the spec gives no example: the one both mocks make up (`madeUpBody`). */
  madeUp: BodyFitter;
}

/**
 * Bodies a schema accepts in one direction: the candidate (the spec's example) where it does, else
 * the first seeded sample that does, made once per schema however many operations share it (a large
 * spec's error schema is shared by hundreds), checked by the validators' own Ajv so each schema is
 * compiled once for both. As responses: the mocks' bodies where the spec gives no example. As
 * requests: the example call of the README and the type tests, where a vendor's example breaks its
 * own schema (Twilio's text for a boolean, DigitalOcean's missing required field) and would not compile.
 */
function bodyChecks(api: Api, document: OpenAPI3, direction: "request" | "response"): BodyChecks {
  // A schema Ajv cannot compile is refused naming this API and the place.
  ownDocument(document, api);
  const ajv = standaloneAjv(directional(document, direction));
  // By pointer, undefined where no sample fits: `null` is a body made up too (`type: [array, "null"]`).
  const made = new Map<string, unknown>();
  const accepts = (schemaPointer: string, value: unknown) => compiledSchema(ajv, schemaPointer)(value) === true;
  const fit: BodyFitter = (schemaPointer, schema, candidate) => {
    // Compiled first: a schema Ajv cannot compile is refused here, with its place (a SpecError).
    const validate = compiledSchema(ajv, schemaPointer);
    const fits = (value: unknown) => validate(value) === true;
    // `null` only where the client's type takes it too: the example call must compile.
    const typed = candidate !== null || typedWithNull(document, schema);
    if (candidate !== undefined && typed && fits(candidate)) return candidate;
    if (!made.has(schemaPointer)) made.set(schemaPointer, fittingSample(document, schema, fits));
    const sample = made.get(schemaPointer);
    return sample === undefined ? candidate : sample;
  };
  const madeUps = new Map<string, unknown>();
  const madeUp: BodyFitter = (schemaPointer, schema) => {
    if (!madeUps.has(schemaPointer)) {
      // Compiled first, as in `fit`: a schema Ajv cannot compile is refused with its place.
      const validate = compiledSchema(ajv, schemaPointer);
      madeUps.set(
        schemaPointer,
        madeUpBody(document, schema, (value) => validate(value) === true),
      );
    }
    return madeUps.get(schemaPointer);
  };
  return { fit, accepts, madeUp };
}

/**
 * Whether openapi-typescript's type of a request schema takes any key: `additionalProperties` other
 * than false, or no properties named (`properties: {}`, Discord's UnbanUserFromGuildRequest; `type:
 * object` alone, Plaid's CategoriesGetRequest; no type at all) where no composition names them.
 */
function typedAsRecord(schema: Record<string, unknown> | undefined): boolean {
  if (schema === undefined) return false;
  if (schema.additionalProperties !== undefined) return schema.additionalProperties !== false;
  const named = isObject(schema.properties) && Object.keys(schema.properties).length > 0;
  const composed = ["allOf", "oneOf", "anyOf", "$ref"].some((keyword) => keyword in schema);
  return !named && !composed && (schema.type === undefined || schema.type === "object");
}

/** The keywords that give a schema a type in openapi-typescript's reading; a schema with none of them is typed `unknown`. */
const typingKeywords = [
  "type",
  "properties",
  "items",
  "additionalProperties",
  "$ref",
  "allOf",
  "anyOf",
  "oneOf",
  "enum",
  "const",
];

/**
 * Whether openapi-typescript's type of a request schema takes any body, so that no misuse of it fails
 * to compile: a `oneOf`/`anyOf` branch typed as a record (see `typedAsRecord`) makes the union take any
 * key and any value of a key the branch does not name: GitHub's `anyOf: [{ required: [pattern] }, ...]`
 * beside its properties (`{ ... } | unknown`), its check run's `additionalProperties: true` branches.
 */
function typedLoosely(document: OpenAPI3, schema: Record<string, unknown> | undefined): boolean {
  const branches = [schema?.oneOf, schema?.anyOf].flatMap((list) => (Array.isArray(list) ? list : []));
  return branches.some((branch) => typedAsRecord(resolvedOrNone<Record<string, unknown>>(document, branch)));
}

/**
 * Whether openapi-typescript's type of a schema takes `null`: `nullable`, a `null` type, enum or const,
 * a `oneOf`/`anyOf` branch that does, every `allOf` member, or no type at all (`unknown`). JSON Schema
 * takes `null` wherever no `type` refuses it (GitHub's `{ properties: ... }` body, example `null`),
 * openapi-typescript's object type does not.
 */
function typedWithNull(document: OpenAPI3, schemaOrRef: unknown): boolean {
  const schema = resolvedOrNone<Record<string, unknown>>(document, schemaOrRef as Record<string, unknown>);
  if (schema === undefined || !typingKeywords.some((keyword) => keyword in schema)) return true;
  if (schema.nullable === true || schema.const === null) return true;
  if ([schema.type].flat().includes("null") || (Array.isArray(schema.enum) && schema.enum.includes(null))) return true;
  const branches = [schema.oneOf, schema.anyOf].flatMap((list) => (Array.isArray(list) ? list : []));
  if (branches.some((branch) => typedWithNull(document, branch))) return true;
  return Array.isArray(schema.allOf) && schema.allOf.every((member) => typedWithNull(document, member));
}

/** See `OperationModel.wrongTypeExample`. */
function wrongTypeExample(
  document: OpenAPI3,
  operation: Operation,
  mediaType: string | undefined,
  body: unknown,
  checks: BodyChecks,
): unknown {
  const wrong = withFirstWrongType(body as Json);
  const schema = mediaType === undefined ? undefined : requestBodyOf(document, operation, mediaType);
  if (wrong === undefined || schema?.schema === undefined) return undefined;
  return checks.accepts(schema.schemaPointer, wrong) ? undefined : wrong;
}

export function apiModel(api: Api, document: OpenAPI3): ApiModel {
  // Where the schemas are read by a guess (3.0's keywords in a 3.1 spec, ...), `generate` says where.
  for (const line of readingWarnings(api, document)) console.warn(line);
  const credentials = credentialsModelOf(api, document);
  // An example holding `"readOnly": true` only makes the markers' helpers appear.
  const readWriteMarkers = /"(read|write)Only":true/.test(JSON.stringify(document));
  const fitters = { request: bodyChecks(api, document, "request"), response: bodyChecks(api, document, "response") };
  const operations = operationsOf(document).map((operation) =>
    operationModel(document, operation, credentials, fitters, api),
  );
  checkMethodNames(api, operations);
  return {
    id: api.id,
    title: document.info.title,
    specFile: repoRelative(api.specPath, api.root),
    specFiles: specFilesModel(api, document),
    packageName: `${packageScope}/${api.id}`,
    version: document.info.version,
    credentials,
    server: serverOf(document),
    operations,
    webhooks: webhooksOf(document),
    readWriteMarkers,
    mockSchemes: mockSchemesOf(credentials),
    document,
  };
}
