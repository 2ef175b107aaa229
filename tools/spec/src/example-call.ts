import { defaultPathSerializer } from "openapi-fetch";
import * as openapiSampler from "openapi-sampler";
import type { OpenAPI3, ParameterObject, ReferenceObject, SchemaObject } from "openapi-typescript";
import randexp from "randexp";
import { firstExampleOf, requestBodyOf, requestMediaTypeOf } from "./bodies.ts";
import { type Operation, type ParameterSpec, parametersOf, templateSent } from "./operations.ts";
import { resolveRef } from "./pointers.ts";
import { unicodePattern } from "./reading.ts";
import type { Direction } from "./validator.ts";
import { simpleText } from "./wire.ts";

// randexp's typings declare an ES default export; its CommonJS module is the class itself.
const RandExp = randexp as unknown as typeof randexp.default;

type Sampler = ((schema: { pattern?: string; format?: string }, ...context: unknown[]) => unknown) & {
  /** The sampler module's own, which ours wraps. */
  wrapped?: Sampler;
};

/** A sampler module's table of samplers per type and its hook to replace one: exported, though not in its typings. */
interface SamplerModule {
  _samplers: Record<string, Sampler>;
  _registerSampler(type: string, sampler: Sampler): void;
}

/**
 * Makes openapi-sampler's strings fit their schema: OpenAPI's own `byte` format (base64) is not among
 * its formats; and it reads only a subset of patterns (no `\d`, groups, alternation): where its string
 * misses the pattern, randexp makes one, the same every time (each choice its lowest).
 */
function fixStringSampler(module: unknown): void {
  const { _samplers: samplers, _registerSampler: registerSampler } = module as SamplerModule;
  // The table outlives this module where a module is loaded again (a test runner's isolation): wrap the original, once.
  const sampleString = samplers.string!.wrapped ?? samplers.string!;
  const sampleStringFixed: Sampler = (schema, ...context) => {
    const value = String(sampleString(schema, ...context));
    if (schema.format === "byte") return btoa(value);
    // The pattern as the validators read it (see `unicodePattern`); one no regular expression reads checks nothing.
    const pattern = schema.pattern === undefined ? undefined : unicodePattern(schema.pattern);
    if (pattern === undefined || new RegExp(pattern, "u").test(value)) return value;
    const generator = new RandExp(pattern);
    generator.randInt = (low: number) => low;
    return generator.gen();
  };
  registerSampler("string", Object.assign(sampleStringFixed, { wrapped: sampleString }));
}
fixStringSampler(openapiSampler);

/**
 * A value that satisfies the schema, by Redocly's openapi-sampler: the schema's own `example`,
 * `const`, `examples[0]`, `enum[0]` or `default` where it has one (at every depth), else one built
 * from its type, format, bounds and pattern; the properties the other direction alone has left out
 * (readOnly ones in a request, writeOnly ones in a response). The same schema always gives the same value.
 */
export function schemaExample(
  document: OpenAPI3,
  schema: SchemaObject | ReferenceObject,
  direction: Direction = "request",
): unknown {
  const options = {
    skipReadOnly: direction === "request",
    skipWriteOnly: direction === "response",
    enablePatterns: true,
    quiet: true,
  };
  const sample = openapiSampler.sample;
  return sample(withoutMistypedDefault(document, schema) as Parameters<typeof sample>[0], options, document);
}

/** JSON Schema's name for the type of a value. */
const jsonType = (value: unknown) =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;

/**
 * The schema without its `default` where that is not of the schema's own type, e.g. pinecone-data's
 * `default: '100'` on an integer: openapi-sampler would take it as the value, which then breaks the schema.
 */
function withoutMistypedDefault(document: OpenAPI3, schemaOrRef: SchemaObject | ReferenceObject) {
  const schema = resolveRef(document, schemaOrRef) as SchemaObject & { type?: string | string[]; default?: unknown };
  if (schema.default === undefined || schema.type === undefined) return schemaOrRef;
  const types = [schema.type].flat();
  const type = jsonType(schema.default);
  return types.includes(type) || (type === "integer" && types.includes("number"))
    ? schemaOrRef
    : { ...schema, default: undefined };
}

/** A parameter's example value: its own first named example or `example`, else its content's, else one from its schema. */
export function parameterExample(document: OpenAPI3, { object }: ParameterSpec): unknown {
  const [media] = Object.values(object.content ?? {}).map((mediaType) => resolveRef(document, mediaType));
  const written = firstExampleOf(document, object) ?? firstExampleOf(document, media);
  if (written) return written.value;
  const schema = object.schema ?? media?.schema;
  return schema && schemaExample(document, schema);
}

type Location = "path" | "query" | "header" | "cookie";

export interface OperationExample {
  /** Each path parameter's example value as text, as a simple-style path segment holds it before percent-encoding. */
  pathParameters: Record<string, string>;
  /** Each path parameter's example value as the typed client takes it: a number stays a number, an array an array. */
  pathValues: Record<string, unknown>;
  /**
   * The required query, header and cookie parameters with their example values, typed as for
   * `pathValues`. Optional ones are left out, even with an example: this is the smallest valid call.
   */
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  /** The operation's path with the path parameters filled in as their `style`/`explode` say, percent-encoded: ready to send (see `requestPath`). */
  path: string;
  /**
   * The request body in `bodyMediaType`: its first named example or `example`, else a value sampled
   * from its schema (readOnly properties left out); undefined when the operation takes no body, or
   * its media type has neither example nor schema.
   */
  body: unknown;
  /** The media type the body is for, the one a client prefers (`preferredMediaTypeOf`); undefined without a body. */
  bodyMediaType: string | undefined;
  /** Whether the spec requires the body. */
  bodyRequired: boolean;
}

/**
 * A path template with each path parameter marked for openapi-fetch's path serializer, which the
 * clients send with: `{.name}` label, `{;name}` matrix, `*` where it is exploded.
 */
export function markedPath(template: string, parameters: ParameterObject[]): string {
  return template.replaceAll(/\{([^}]+)\}/g, (_whole, name: string) => {
    const parameter = parameters.find((candidate) => candidate.in === "path" && candidate.name === name);
    const marker = { label: ".", matrix: ";" }[parameter?.style ?? ""] ?? "";
    return `{${marker}${name}${parameter?.explode ? "*" : ""}}`;
  });
}

/**
 * The path a request of the operation goes to: its template as sent (`templateSent`), each path
 * parameter filled in as its `style`/`explode` say, percent-encoded.
 */
export function requestPath(document: OpenAPI3, operation: Operation, pathValues: Record<string, unknown>): string {
  const template = templateSent(operation.path);
  const parameters = parametersOf(document, operation).map(({ object }) => object);
  return defaultPathSerializer(markedPath(template, parameters), pathValues);
}

/**
 * The call the spec's own examples make of an operation, every parameter location and any
 * request media type, values generated where the spec gives none: what READMEs, banners and
 * tests start from.
 */
export function exampleCall(document: OpenAPI3, operation: Operation): OperationExample {
  const parameters = parametersOf(document, operation);
  const valuesIn = (location: Location, all = false) =>
    Object.fromEntries(
      parameters
        .filter(({ object }) => object.in === location && (all || object.required === true))
        .map((parameter) => [parameter.object.name, parameterExample(document, parameter)]),
    );
  const pathValues = valuesIn("path", true);
  const pathParameters = Object.fromEntries(
    parameters
      .filter(({ object }) => object.in === "path")
      .map(({ object }) => [object.name, simpleText(object.name, pathValues[object.name], object.explode)]),
  );
  const bodyMediaType = requestMediaTypeOf(document, operation);
  const requestBody = bodyMediaType === undefined ? undefined : requestBodyOf(document, operation, bodyMediaType);
  return {
    pathParameters,
    pathValues,
    query: valuesIn("query"),
    header: valuesIn("header"),
    cookie: valuesIn("cookie"),
    path: requestPath(document, operation, pathValues),
    body: requestBody?.firstExample
      ? requestBody.firstExample.value
      : requestBody?.schema && schemaExample(document, requestBody.schema),
    bodyMediaType,
    bodyRequired: requestBody?.required ?? false,
  };
}
