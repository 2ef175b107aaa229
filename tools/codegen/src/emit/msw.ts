/**
 * The package's `./msw` entry: Mock Service Worker handlers answering as the Prism mocks do, from
 * the same spec. client-core's `mockApi` is the engine; what is emitted here is the API's data
 * (operations, parameters, security, documented answers), its precompiled request checks and the
 * types of each operation's answers.
 */

import { fittingSample } from "@contracts/cases";
import {
  directional,
  isBinary,
  jsonMediaTypeOf,
  minimalFile,
  namedExamples,
  type Operation,
  operationsOf,
  parametersOf,
  requestBodyOf,
  resolveRef,
  responsesOf,
  specValidator,
} from "@contracts/spec";
import type { OpenAPI3, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from "openapi-typescript";
import type { ApiModel, OperationModel, SchemeModel } from "../model.ts";
import { generatedHeader } from "./header.ts";
import { callExample, literalKey } from "./readme.ts";
import { selfContained, standaloneAjv, standaloneChecks } from "./validators.ts";

const literal = (value: unknown) => JSON.stringify(value);

const shapeOf = (document: OpenAPI3, schema: SchemaObject | ReferenceObject | undefined) => {
  const type = schema && (resolveRef(document, schema) as { type?: unknown }).type;
  return type === "array" || type === "object" ? type : undefined;
};

/** How the mock reads one parameter (see client-core's `MockParameter`). */
function mockParameter(document: OpenAPI3, parameter: ParameterObject) {
  const shape = shapeOf(document, parameter.schema);
  return {
    name: parameter.name,
    in: parameter.in,
    ...(parameter.style !== undefined && { style: parameter.style }),
    ...(parameter.explode !== undefined && { explode: parameter.explode }),
    ...(shape !== undefined && { shape }),
  };
}

/** A value of the schema at `schemaPointer` that the schema accepts; undefined when none was found. */
function generatedBody(document: OpenAPI3, schema: unknown, schemaPointer: string): unknown {
  const validate = specValidator(document);
  return fittingSample(document, schema, (value) => validate(schemaPointer, value).length === 0);
}

/** Each documented response: its media type, named examples and default body (see client-core's `MockResponse`). */
function mockResponses(document: OpenAPI3, operation: Operation) {
  return responsesOf(document, operation).map((json) => {
    const response = resolveRef(document, operation.object.responses![json.status]!) as ResponseObject;
    const mediaTypes = Object.keys(response.content ?? {});
    if (jsonMediaTypeOf(response.content) === undefined && mediaTypes.length > 0) {
      const mediaType = mediaTypes[0]!;
      // A file (an image, a PDF): the smallest valid one of its type, as the Prism mocks answer.
      if (isBinary(mediaType))
        return { status: json.status, mediaType, examples: [], file: minimalFile(mediaType).toString("base64") };
      // Other text: the media type's own examples, served as they are written.
      const media = resolveRef(document, response.content![mediaType]!);
      const examples = namedExamples(document, media.examples);
      const single = examples.length === 0 && "example" in media;
      return { status: json.status, mediaType, examples, ...(single && { body: media.example }) };
    }
    if (mediaTypes.length === 0) return { status: json.status, examples: [] };
    // Named examples come first; then the single `example`, else a body generated from the schema.
    const body =
      json.examples.length > 0
        ? undefined
        : json.firstExample
          ? json.firstExample.value
          : json.schema && generatedBody(document, json.schema, json.schemaPointer);
    return {
      status: json.status,
      mediaType: json.mediaType,
      examples: json.examples,
      ...(body !== undefined && { body }),
      ...(json.schema !== undefined && { checked: true }),
    };
  });
}

/** The schemes as the mock checks them, by the client's names for them. */
function mockSchemes(api: ApiModel): Record<string, { in: string; name: string; scheme?: string }> {
  const { credentials } = api;
  const checked = (scheme: SchemeModel) => ({
    in: scheme.in,
    name: scheme.name,
    ...(scheme.kind === "basic"
      ? { scheme: "basic" }
      : scheme.kind === "token" || scheme.prefix === "Bearer "
        ? { scheme: "bearer" }
        : {}),
  });
  if (credentials.option === "none") return {};
  if (credentials.option === "apiKey") return { apiKey: checked(credentials.scheme) };
  return Object.fromEntries(credentials.schemes.map((scheme) => [scheme.schemeName, checked(scheme)]));
}

const modelOf = (api: ApiModel, operation: Operation) =>
  api.operations.find((model) => model.method === operation.method && model.path === operation.path)!;

/** `src/generated/mock.ts`: the API as its MSW handlers answer it, all from the spec. */
export function emitMockModule(api: ApiModel): string {
  const { document } = api;
  const operations = Object.fromEntries(
    operationsOf(document).map((operation) => {
      const model = modelOf(api, operation);
      const requestBody = operation.object.requestBody && resolveRef(document, operation.object.requestBody);
      return [
        model.name,
        {
          method: operation.method,
          path: operation.path,
          security: model.security,
          parameters: parametersOf(document, operation).map(({ object }) => mockParameter(document, object)),
          ...(requestBodyOf(document, operation) && { body: { required: requestBody?.required === true } }),
          responses: mockResponses(document, operation),
        },
      ];
    }),
  );
  const description = {
    defaultBaseUrl: api.server?.url,
    schemes: mockSchemes(api),
    operations,
  };
  return `${generatedHeader(api)}
import type { MockDescription } from "@contracts/client-core/msw";
import { requestViolationsOf } from "./request-validators.js";
import { violationsOf } from "./validators.js";

const description: Omit<MockDescription, "checks"> = ${JSON.stringify(description, null, 2)};

/** The API as its MSW handlers answer it: operations by method name, their parameters, security and documented answers, and the precompiled checks. */
export const mock: MockDescription = { ...description, checks: { requestViolationsOf, violationsOf } };
`;
}

/** What every request-validators module ends with: the check of a request part, and Ajv's errors. */
const requestViolationsOf = `export function requestViolationsOf(method, path, part, value) {
  const check = requestChecks[\`\${method.toUpperCase()} \${path}\`]?.[part];
  if (!check || check(value)) return [];
  return check.errors ?? [];
}
`;

/**
 * `src/generated/request-validators.ts`: each operation's JSON request body schema and, per
 * location, its parameters (as one object, their values coerced from text as Prism does),
 * precompiled by Ajv into plain functions: no `eval`, so the handlers run under a strict CSP.
 * Only the `./msw` entry loads it.
 */
export async function emitRequestValidatorsModule(api: ApiModel): Promise<string> {
  const { document } = api;
  // As a request: readOnly properties not required, and refused where sent (as the Prism mocks refuse them).
  const asRequest = directional(document, "request");
  const bodies = standaloneChecks(standaloneAjv(asRequest));
  const parameterAjv = standaloneAjv(asRequest, { coerceTypes: true });
  const parameters = standaloneChecks(parameterAjv);
  const table: string[] = [];
  for (const operation of operationsOf(document)) {
    const key = `${operation.method.toUpperCase()} ${operation.path}`;
    const checks: string[] = [];
    const body = requestBodyOf(document, operation);
    if (body?.schema) checks.push(`body: body.${bodies.checkOf(body.schemaPointer)}`);
    const declared = parametersOf(document, operation);
    for (const location of ["path", "query", "header", "cookie"]) {
      const here = declared.filter(({ object }) => object.in === location);
      if (here.length === 0) continue;
      const nameOf = (parameter: ParameterObject) =>
        location === "header" ? parameter.name.toLowerCase() : parameter.name;
      // A plain name: an id with slashes would be a base URI that the schemas' `spec#...` refs resolve against.
      const id = `parameters${table.length}${location}`;
      parameterAjv.addSchema(
        {
          type: "object",
          properties: Object.fromEntries(
            here.map(({ object, schemaPointer }) => [
              nameOf(object),
              object.schema ? { $ref: `spec#${schemaPointer}` } : {},
            ]),
          ),
          required: here.filter(({ object }) => object.required).map(({ object }) => nameOf(object)),
        },
        id,
      );
      checks.push(`${location}: parameters.${parameters.checkOf(id)}`);
    }
    table.push(`  ${literal(key)}: { ${checks.join(", ")} },`);
  }
  const module = `import * as body from "virtual:body";
import * as parameters from "virtual:parameters";
const requestChecks = {
${table.join("\n")}
};
${requestViolationsOf}`;
  const bundled = await selfContained(module, { body: bodies.compiled(), parameters: parameters.compiled() });
  return `${generatedHeader(api)}// @ts-nocheck: Ajv's standalone output, bundled with what it requires, is plain JavaScript.\n${bundled}`;
}

/** Each exact status an operation documents. */
const exactStatuses = (document: OpenAPI3, operation: Operation) =>
  responsesOf(document, operation).filter(({ status }) => /^\d{3}$/.test(status));

/** `src/msw.ts`: the `./msw` entry, its handlers and `override` typed by each operation's documented answers. */
export function emitMswModule(api: ApiModel): string {
  const { document } = api;
  const answers = operationsOf(document).map((operation) => {
    const of = `paths[${literal(operation.path)}][${literal(operation.method)}]`;
    const statuses = exactStatuses(document, operation).map(
      ({ status }) => `      ${status}: ResponseBodyOf<${of}, ${status}>;`,
    );
    const names = exactStatuses(document, operation).flatMap(({ examples }) =>
      examples.map(({ name }) => literal(name)),
    );
    return `  ${modelOf(api, operation).name}: {
    statuses: ${statuses.length > 0 ? `{\n${statuses.join("\n")}\n    }` : "Record<never, never>"};
    examples: ${names.length > 0 ? [...new Set(names)].join(" | ") : "never"};
  };`;
  });
  return `${generatedHeader(api)}
import { type ApiMocks, mockApi${answers.some((text) => text.includes("ResponseBodyOf")) ? ", type ResponseBodyOf" : ""} } from "@contracts/client-core/msw";
import { mock } from "./generated/mock.js";
import type { paths } from "./generated/schema.js";

export type { MockAnswer, MockHandlerOptions } from "@contracts/client-core/msw";

/** Each operation's documented answers, by the client's method name: each exact status's body, and its examples' names. */
export interface MockAnswers {
${answers.join("\n")}
}

const mocks: ApiMocks<MockAnswers> = mockApi<MockAnswers>(mock);

/** One MSW handler per operation, for ${api.server ? `\`${api.server.url}\`` : "any origin (the spec names no server)"}, then one per path answering 405 to other methods. */
export const handlers = mocks.handlers;
/** The same handlers for another base URL: \`createHandlers({ baseUrl })\`. */
export const createHandlers = mocks.createHandlers;
/** A handler making one operation answer a documented status, a named example or a typed body; \`server.use(override(...))\`. */
export const override = mocks.override;
`;
}

/** How the mocks example makes its client: credentials the mock accepts, and a baseUrl where the spec has no server. */
function mockedClient(api: ApiModel): string {
  const options: string[] = [];
  const { credentials } = api;
  if (credentials.option === "apiKey") options.push(`apiKey: "test-key"`);
  if (credentials.option === "credentials") {
    const [scheme] = credentials.schemes;
    const value = scheme!.kind === "basic" ? `{ username: "test", password: "test" }` : `"test-key"`;
    options.push(`credentials: { ${literalKey(scheme!.schemeName)}: ${value} }`);
  }
  if (!api.server) options.push(`baseUrl: "https://api.example.com"`);
  return `createClient(${options.length > 0 ? `{ ${options.join(", ")} }` : ""})`;
}

/** The override the example shows: another status's named example, else another status, else the only one; undefined without any. */
function exampleOverride(api: ApiModel, operation: OperationModel): string | undefined {
  const spec = operationsOf(api.document).find((candidate) => modelOf(api, candidate) === operation)!;
  const [first, ...others] = exactStatuses(api.document, spec);
  const named = others.find(({ examples }) => examples.length > 0);
  if (named) return `{ example: ${literal(named.examples[0]!.name)} }`;
  return (others[0] ?? first) && `{ status: ${(others[0] ?? first)!.status} }`;
}

/** The README's mocks example; the same text is compiled by the package's type tests (`test/msw-example.ts`). */
export function mswExample(api: ApiModel): string {
  const [operation] = api.operations;
  // A spec of webhooks alone has no operation to call: the handlers are set up, and none answer.
  const call = operation
    ? `// The spec's example answer; a request the spec refuses gets its documented error, naming the violations.
const first = await client.${operation.name}(${callExample(operation)});
console.log(first.status, first.data);
`
    : "";
  const overridden = api.operations.find((candidate) => exampleOverride(api, candidate) !== undefined);
  const override = overridden
    ? `
// This test's answer: a documented status, a named example, or { status, body } with a body of that status's type.
server.use(override(${literal(overridden.name)}, ${exampleOverride(api, overridden)}));
const second = await client.${overridden.name}(${callExample(overridden)});
console.log(second.status, second.error ?? second.data);
`
    : "";
  return `import { createClient } from "${api.packageName}";
import { handlers${overridden ? ", override" : ""} } from "${api.packageName}/msw";
import { setupServer } from "msw/node";

const server = setupServer(...handlers);
server.listen({ onUnhandledFrame: "error" });

const client = ${mockedClient(api)};
${call}${override}
server.resetHandlers();
server.close();
`;
}

/** `test/msw-example.ts`: the README's mocks example, compiled by the type check. */
export function emitMswExample(api: ApiModel): string {
  return `${generatedHeader(api)}\n${mswExample(api)}`;
}

/** `test/msw-browser.test.ts`: the handlers in Chromium, through msw's service worker. */
export function emitBrowserTest(api: ApiModel): string {
  return `${generatedHeader(api)}
import { fileURLToPath } from "node:url";
import { describeBrowserMocks } from "@contracts/testkit/browser";

await describeBrowserMocks(fileURLToPath(new URL("..", import.meta.url)), ${literal(api.id)});
`;
}

/** The README section on the in-process mocks. */
export function mswReadmeSection(api: ApiModel): string {
  return `## Mocks in your tests (MSW)

\`${api.packageName}/msw\` has [Mock Service Worker](https://mswjs.io) handlers made from the same spec
as the client: \`handlers\` (one per operation), \`createHandlers({ baseUrl })\` for another server, and
\`override\` for one test's answer. Install \`msw\` (3.x, an optional peer dependency: the client itself
never loads it). They answer as the repository's Prism mocks do, in the test's own process, in Node
(\`msw/node\`) and in browsers (\`msw/browser\` and its service worker):

- a valid request gets the documented 2xx example (a body generated from the schema, with a fixed
  seed, where the spec has none); \`Prefer: example=<name>\` or \`Prefer: code=<status>\` picks another;
- a wrong body or parameter gets the documented 400 or 422, missing credentials the 401, each in its
  documented shape with its message naming the violations; a method the spec does not document on a
  path gets 405 with \`Allow\`;
- the request checks are precompiled (no \`eval\`), so they also run under a strict CSP.

\`\`\`ts
${mswExample(api)}\`\`\`

`;
}
