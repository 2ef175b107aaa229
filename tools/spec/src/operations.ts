import type {
  ExampleObject,
  OpenAPI3,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
  SecuritySchemeObject,
} from "openapi-typescript";
import { isJson } from "./media.ts";

export const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface Operation {
  /** The operationId (required by the lint rules). */
  id: string;
  method: HttpMethod;
  /** The path template, e.g. `/v1/orgs/{org_id}/properties`. */
  path: string;
  /** JSON pointer of the operation object in the spec. */
  pointer: string;
  object: OperationObject;
}

/** JSON pointer from path segments (RFC 6901 escaping). */
export function jsonPointer(...segments: (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** The path segments of a JSON pointer (`/a~1b/c` or `#/a~1b/c`), unescaped. */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .replace(/^#/, "")
    .split("/")
    .slice(1)
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

const isLocalRef = (value: unknown): value is ReferenceObject =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { $ref?: unknown }).$ref === "string" &&
  (value as ReferenceObject).$ref.startsWith("#");

/** Follows a local `$ref` (`#/...`) to the value it names; other values come back unchanged. */
export function resolveRef<T>(document: OpenAPI3, value: T | ReferenceObject): Exclude<T, ReferenceObject> {
  if (!isLocalRef(value)) return value as Exclude<T, ReferenceObject>;
  const target = pointerSegments(value.$ref).reduce<unknown>(
    (node, key) => (node as Record<string, unknown> | undefined)?.[key],
    document,
  );
  if (target === undefined) throw new Error(`Unresolvable $ref ${value.$ref}`);
  return resolveRef<T>(document, target as T | ReferenceObject);
}

/**
 * `resolveRef` for code that only looks (detection, readings): undefined for no value or a `$ref`
 * that leads nowhere, which lint and the validators refuse with its place.
 */
export function resolvedOrNone<T>(document: OpenAPI3, value: T | ReferenceObject | undefined) {
  try {
    return value === undefined ? undefined : resolveRef<T>(document, value);
  } catch {
    return undefined;
  }
}

/**
 * The pointer with every `$ref` met on the way followed, or undefined where nothing is there:
 * a validator given the whole document (Ajv) cannot see through a `$ref` in the middle of a path.
 */
export function concretePointer(document: OpenAPI3, pointer: string): string | undefined {
  let segments: string[] = [];
  let node: unknown = document;
  for (const segment of pointerSegments(pointer)) {
    node = (node as Record<string, unknown> | undefined)?.[segment];
    segments.push(segment);
    if (node === undefined) return undefined;
    if (isLocalRef(node)) {
      segments = pointerSegments(node.$ref);
      node = resolveRef(document, node);
    }
  }
  return jsonPointer(...segments);
}

/** Every operation of the spec, in document order. */
export function operationsOf(document: OpenAPI3): Operation[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, pathItemOrRef]) => {
    const pathItem = resolveRef(document, pathItemOrRef);
    return httpMethods.flatMap((method) => {
      const object = pathItem[method] && resolveRef(document, pathItem[method]);
      if (!object) return [];
      return [
        {
          id: object.operationId ?? `${method} ${path}`,
          method,
          path,
          pointer: jsonPointer("paths", path, method),
          object,
        },
      ];
    });
  });
}

/** A parameter of an operation, as `parametersOf` finds it. */
export interface ParameterSpec {
  /** The parameter object, `$ref` resolved. */
  object: ParameterObject;
  /** Where that object is in the document, `$ref`s followed (a path item's or an operation's list, or components). */
  pointer: string;
  /** Where its schema is: under `schema`, else under its one `content` media type. */
  schemaPointer: string;
}

/** Header parameters OpenAPI says to ignore: the request body, the answer's media types and security say these. */
const ignoredHeaders = new Set(["accept", "content-type", "authorization"]);

/** Whether OpenAPI says to ignore a header parameter of this name (`Accept`, `Content-Type`, `Authorization`). */
export const isIgnoredHeader = (name: string) => ignoredHeaders.has(name.toLowerCase());

/**
 * The operation's effective parameters, `$ref`s resolved: the path item's first, each in place
 * unless the operation declares one of the same name and location, then the operation's own, in
 * the order the spec writes them; without the headers OpenAPI ignores (`Accept`, `Content-Type`,
 * `Authorization`).
 */
export function parametersOf(document: OpenAPI3, operation: Operation): ParameterSpec[] {
  const declared = (owner: string, list: (ParameterObject | ReferenceObject)[] | undefined) =>
    (list ?? []).map((parameter, index) => {
      const written = `${owner}${jsonPointer("parameters", index)}`;
      const pointer = concretePointer(document, written) ?? written;
      const object = resolveRef(document, parameter);
      const [mediaType] = Object.keys(object.content ?? {});
      const schemaAt = mediaType === undefined ? ["schema"] : ["content", mediaType, "schema"];
      return { object, pointer, schemaPointer: `${pointer}${jsonPointer(...schemaAt)}` };
    });
  const pathItem = resolveRef(document, document.paths?.[operation.path] ?? {});
  const own = declared(operation.pointer, operation.object.parameters);
  const key = ({ object }: ParameterSpec) => `${object.in} ${object.name}`;
  const overridden = new Set(own.map(key));
  const shared = declared(jsonPointer("paths", operation.path), pathItem.parameters);
  return [...shared.filter((parameter) => !overridden.has(key(parameter))), ...own].filter(
    ({ object }) => !(object.in === "header" && isIgnoredHeader(object.name)),
  );
}

/** The media type every request and response body of these APIs uses. */
export const jsonMediaType = "application/json";

/** The JSON media type among a body's content keys: `application/json` first, else the first `+json` one. */
export function jsonMediaTypeOf(content: Record<string, unknown> | undefined): string | undefined {
  const mediaTypes = Object.keys(content ?? {});
  return mediaTypes.includes(jsonMediaType) ? jsonMediaType : mediaTypes.find(isJson);
}

/**
 * The media type a client sends and reads a body in when several are offered: JSON (`application/json`,
 * then `+json`), else the first the spec lists: what the clients' types and runtime both take.
 */
export function preferredMediaTypeOf(content: Record<string, unknown> | undefined): string | undefined {
  return jsonMediaTypeOf(content) ?? Object.keys(content ?? {})[0];
}

/** JSON pointer of an operation's JSON request body schema (whether or not it exists). */
export function requestSchemaPointer(operation: Operation, mediaType = jsonMediaType): string {
  return `${operation.pointer}${jsonPointer("requestBody", "content", mediaType, "schema")}`;
}

/** The operation's JSON request body schema, `$ref`s at its top resolved; undefined without a JSON body. */
export function requestSchemaOf(document: OpenAPI3, operation: Operation): SchemaObject | undefined {
  const schema = requestBodyOf(document, operation)?.schema;
  return schema && resolveRef(document, schema);
}

/** JSON pointer of the schema of one response of an operation. */
export function responseSchemaPointer(operation: Operation, status: string, mediaType = jsonMediaType): string {
  return `${operation.pointer}${jsonPointer("responses", status, "content", mediaType, "schema")}`;
}

/** A JSON request or response body as the spec documents it. */
export interface BodySpec {
  mediaType: string;
  /** The body schema as written (a `$ref` stays one), if there is one. */
  schema: SchemaObject | ReferenceObject | undefined;
  /** Where that schema is, `$ref`s on the way followed, for a validator given the whole document. */
  schemaPointer: string;
  /** The named examples. */
  examples: { name: string; value: unknown }[];
  /** The first named example, else the single `example`; undefined when there is neither. */
  firstExample: { value: unknown } | undefined;
}

type Content = NonNullable<ResponseObject["content"]>;

/** The first named example with a value, else the single `example` (of a body, a parameter); undefined when there is neither. */
export function firstExampleOf(
  document: OpenAPI3,
  holder: { examples?: Record<string, ExampleObject | ReferenceObject>; example?: unknown } | undefined,
): { value: unknown } | undefined {
  const named = namedExamples(document, holder?.examples).find(({ value }) => value !== undefined);
  if (named) return { value: named.value };
  return holder && "example" in holder ? { value: holder.example } : undefined;
}

/** A map of named examples (a body's, a parameter's) as a list, `$ref`s resolved. */
export function namedExamples(
  document: OpenAPI3,
  examples: Record<string, ExampleObject | ReferenceObject> | undefined,
): { name: string; value: unknown }[] {
  return Object.entries(examples ?? {}).map(([name, example]) => ({
    name,
    value: resolveRef(document, example).value,
  }));
}

function bodyOf(document: OpenAPI3, content: Content | undefined, mediaType: string, writtenPointer: string): BodySpec {
  const media = content?.[mediaType] && resolveRef(document, content[mediaType]);
  const examples = namedExamples(document, media?.examples);
  return {
    mediaType,
    schema: media?.schema,
    schemaPointer: concretePointer(document, writtenPointer) ?? writtenPointer,
    examples,
    firstExample: firstExampleOf(document, media),
  };
}

/** A request body in one media type. */
export interface RequestBodySpec extends BodySpec {
  /** Whether the spec says the body is required (`requestBody.required`). */
  required: boolean;
}

const requestBodyObjectOf = (document: OpenAPI3, operation: Operation) =>
  operation.object.requestBody && resolveRef(document, operation.object.requestBody);

/** The operation's request body in one media type (`application/json` unless named); undefined when it takes none in it. */
export function requestBodyOf(
  document: OpenAPI3,
  operation: Operation,
  mediaType = jsonMediaType,
): RequestBodySpec | undefined {
  const requestBody = requestBodyObjectOf(document, operation);
  if (!requestBody?.content[mediaType]) return undefined;
  return {
    ...bodyOf(document, requestBody.content, mediaType, requestSchemaPointer(operation, mediaType)),
    required: requestBody.required === true,
  };
}

/** The media type a client sends the operation's request body in (see `preferredMediaTypeOf`); undefined when it takes none. */
export function requestMediaTypeOf(document: OpenAPI3, operation: Operation): string | undefined {
  return preferredMediaTypeOf(requestBodyObjectOf(document, operation)?.content);
}

export interface ResponseSpec extends BodySpec {
  /** `200`, `4XX` or `default`, as the spec writes it. */
  status: string;
}

/** Every documented response of an operation, in spec order, with its JSON body (`application/json` first, else `+json`). */
export function responsesOf(document: OpenAPI3, operation: Operation): ResponseSpec[] {
  return Object.entries(operation.object.responses ?? {}).map(([status, responseOrRef]) => {
    const response = resolveRef(document, responseOrRef);
    const mediaType = jsonMediaTypeOf(response.content) ?? jsonMediaType;
    return {
      status,
      ...bodyOf(document, response.content, mediaType, responseSchemaPointer(operation, status, mediaType)),
    };
  });
}

/**
 * One documented response's body (`status` as the spec writes it) in `mediaType`, else in its
 * preferred one (see `preferredMediaTypeOf`); undefined when it documents no body in that type.
 */
export function responseBodyOf(
  document: OpenAPI3,
  operation: Operation,
  status: string,
  mediaType?: string,
): BodySpec | undefined {
  const response = operation.object.responses?.[status];
  const content = response && resolveRef(document, response).content;
  const chosen = mediaType ?? preferredMediaTypeOf(content);
  if (chosen === undefined || !content?.[chosen]) return undefined;
  return bodyOf(document, content, chosen, responseSchemaPointer(operation, status, chosen));
}

/**
 * The response header the project's mock sets on an answer whose status the operation does not
 * document (Prism's own 401, 404, 422, ...): a gap in the spec, not a contract. Its value is the status.
 */
export const undocumentedHeader = "x-contracts-undocumented";

/** A security scheme an operation accepts, by its name under `components.securitySchemes`. */
export interface NamedSecurityScheme {
  name: string;
  scheme: SecuritySchemeObject;
}

/** The operation's security requirements: its own `security`, else the document's. */
const requirementsOf = (document: OpenAPI3, operation: Operation) =>
  operation.object.security ?? document.security ?? [];

const schemeNamed = (document: OpenAPI3, name: string): NamedSecurityScheme => {
  const scheme = document.components?.securitySchemes?.[name];
  if (scheme === undefined) throw new Error(`No security scheme ${name} under components.securitySchemes`);
  return { name, scheme: resolveRef(document, scheme) };
};

/** Every security scheme the operation's requirements name, each once, in the order they are named. */
export function securitySchemesOf(document: OpenAPI3, operation: Operation): NamedSecurityScheme[] {
  const names = new Set(requirementsOf(document, operation).flatMap((requirement) => Object.keys(requirement)));
  return [...names].map((name) => schemeNamed(document, name));
}

/** A `{name}` in a path template. */
const pathVariable = /\{([^}]+)\}/g;

/** The path template with each `{name}` set to its value, percent-encoded so that it stays in its segment (the name itself when it has none). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replaceAll(pathVariable, (_match, name: string) => encodeURIComponent(values[name] ?? name));
}

// Which documented response answers a status, as the clients and the MSW handlers read it.
export { documentedStatus, responseForStatus } from "../../../packages/client-core/src/responses.ts";
// Which operation a request goes to is client-core's routing (the MSW handlers route with it), passed
// on to the tools that route (the mock's server, verify); from its source, as media.ts.
export { type Routable, type Routed, routerOf, templateSent } from "../../../packages/client-core/src/routes.ts";
