import { isObject, type Json, withFirstWrongType, withoutKey, withUnknownKey } from "@contracts/spec";
import type { ApiModel, OperationModel, SchemeModel } from "../model.ts";
import { generatedHeader } from "./header.ts";
import { tsLiteral } from "./literal.ts";
import { usageExample } from "./readme.ts";

/** The `params` and `body` of one call in the generated tests and README. */
export interface CallInit {
  params?: Partial<Record<"path" | "query" | "header" | "cookie", Json>>;
  body?: Json;
}

/** Calls that must not compile, each with the mistake it makes, from the operation's example. */
function misuses(operation: OperationModel): { mistake: string; init: CallInit }[] {
  const { params = {}, body: example } = validInit(operation);
  const cases: ReturnType<typeof misuses> = [];
  const at = (body: Json) => ({ params, body });
  const withParams = (changed: CallInit["params"]) => ({
    params: changed,
    ...(example !== undefined && { body: example }),
  });
  // An unknown key compiles where the type has an index signature.
  if (isObject(example) && !operation.declaresAdditionalKeys) {
    cases.push({ mistake: "a field name the spec does not define", init: at(withUnknownKey(example)) });
  }
  const required = isObject(example) ? operation.requiredKeys.find((name) => name in example) : undefined;
  if (required)
    cases.push({ mistake: `the required field "${required}" missing`, init: at(withoutKey(example, [required])) });
  const wrongType = withFirstWrongType(example);
  if (wrongType !== undefined) cases.push({ mistake: "a value of the wrong type", init: at(wrongType) });
  for (const location of ["path", "query", "header", "cookie"] as const) {
    if (params[location] === undefined) continue;
    const { [location]: _left, ...others } = params;
    cases.push({ mistake: `the required ${location} parameters missing`, init: withParams(others) });
  }
  const query = isObject(params.query) ? params.query : {};
  cases.push({
    mistake: "a query parameter the spec does not define",
    init: withParams({ ...params, query: { ...query, notAParameterOfTheSpec: 1 } }),
  });
  if (example !== undefined && operation.requestBodyRequired)
    cases.push({ mistake: "the request body missing", init: { params } });
  return cases;
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
          `credentials: { ${credentials.schemes.map((scheme) => `${JSON.stringify(scheme.schemeName)}: ${testCredential(scheme)}`).join(", ")} }`,
        ]
      : []),
    ...(api.server === undefined ? [`baseUrl: "http://127.0.0.1:4010"`] : []),
    ...extra,
  ];
  return parts.length === 0 ? "" : `{ ${parts.join(", ")} }`;
}

/** Credentials and servers the API cannot use, each a call to `createClient` that must not compile. */
export function credentialMisuses(api: ApiModel): string {
  const { credentials } = api;
  const misuse = (mistake: string, options: string) => `// @ts-expect-error ${mistake}\ncreateClient(${options});`;
  const misuses: string[] = [];
  if (credentials.option === "none")
    misuses.push(misuse("a key for an API that takes none", clientOptionsLiteral(api, ['apiKey: "k"'])));
  if (credentials.option === "apiKey") {
    misuses.push(
      misuse("a key that is not a string", `{ ${api.server ? "" : `baseUrl: "http://127.0.0.1:4010", `}apiKey: 42 }`),
    );
    misuses.push(
      misuse(
        "credentials per scheme, which this API does not take",
        clientOptionsLiteral(api, ['credentials: { key: "k" }']),
      ),
    );
  }
  if (credentials.option === "credentials") {
    const [scheme] = credentials.schemes;
    const baseUrl = api.server ? "" : `baseUrl: "http://127.0.0.1:4010", `;
    misuses.push(
      misuse("a scheme the spec does not define", `{ ${baseUrl}credentials: { NotASchemeOfTheSpec: "k" } }`),
    );
    misuses.push(
      misuse(
        `a credential of the wrong kind for ${scheme!.schemeName}`,
        `{ ${baseUrl}credentials: { ${JSON.stringify(scheme!.schemeName)}: ${scheme!.kind === "basic" ? `"user:password"` : '{ username: "u", password: "p" }'} } }`,
      ),
    );
    misuses.push(misuse("a single key, which this API does not take", clientOptionsLiteral(api, ['apiKey: "k"'])));
  }
  if (api.server === undefined)
    misuses.push("// @ts-expect-error no baseUrl, and the spec names no server\ncreateClient();");
  return misuses.join("\n");
}

/**
 * The type of a response body whose schema is a component, as client-core's body types hold it:
 * `Readable` (writeOnly properties left out, readOnly ones unwrapped, intersections flattened).
 */
export const bodyType = (schema: string) => `Readable<Schemas[${JSON.stringify(schema)}]>`;

/** The parameters and body of the operation's example call. */
export function validInit(operation: OperationModel): CallInit {
  return {
    ...(Object.keys(operation.exampleParams).length > 0 && { params: operation.exampleParams as CallInit["params"] }),
    ...(operation.requestExample !== undefined && { body: operation.requestExample as Json }),
  };
}

function operationTypeTests(operation: OperationModel): string {
  const { response, error } = operation.types;
  const valid = validInit(operation);
  const shapeChecks = [
    operation.successSchemas.length > 0 &&
      `  expectTypeOf<${response}>().toEqualTypeOf<${[...new Set(operation.successSchemas)].map((schema) => bodyType(schema)).join(" | ")}${operation.successWithoutBody ? " | undefined" : ""}>();`,
    operation.errorSchemas.length > 0 &&
      `  expectTypeOf<${error}>().toEqualTypeOf<${[...new Set(operation.errorSchemas)].map((schema) => bodyType(schema)).join(" | ")}>();`,
  ].filter(Boolean);
  return `// ${operation.name}: ${operation.method.toUpperCase()} ${operation.path}
{
  const result = await client.${operation.name}(${initLiteral(valid, "  ")});
${operation.successBody ? `  if (result.data !== undefined) expectTypeOf(result.data).toEqualTypeOf<${operation.successWithoutBody ? `Exclude<${response}, undefined>` : response}>();` : ""}
${shapeChecks.join("\n")}
${misuses(operation)
  .map(
    ({ mistake, init }) => `  // @ts-expect-error ${mistake}\n  await client.${operation.name}(${initLiteral(init)});`,
  )
  .join("\n")}
}`;
}

/** `test/types.test-d.ts`: compiled by `typecheck`, never run. Misuse must not compile. */
export function emitTypeTests(api: ApiModel): string {
  const typeNames = api.operations.flatMap((operation) => [operation.types.error, operation.types.response]);
  return `${generatedHeader(api)}
import type { Readable } from "@contracts/client-core";
import { expectTypeOf } from "vitest";
import { createClient, type Schemas, ${typeNames.map((name) => `type ${name}`).join(", ")} } from "${api.packageName}";

const client = createClient(${clientOptionsLiteral(api)});

${api.operations.map(operationTypeTests).join("\n\n")}
`;
}

/** `test/readme-example.ts`: the README's usage example, compiled by \`typecheck\`. */
export function emitReadmeExample(api: ApiModel): string {
  return `${generatedHeader(api)}\n${usageExample(api)}`;
}

/**
 * `test/contract.test.ts`: the contract tests, all derived from the spec by the test kit, against
 * the Prism mock of the registry the package is generated in (wherever that is: a scratch workspace
 * too) and the package's MSW handlers.
 */
export function emitContractTest(api: ApiModel): string {
  return `${generatedHeader(api)}
import { fileURLToPath } from "node:url";
import { describeContract } from "@contracts/testkit/contract";
import { createClient } from "../src/index.ts";
import { createHandlers } from "../src/msw.ts";

// The repository this package is generated in (packages/clients/${api.id}): its registry, spec and mock.
const root = fileURLToPath(new URL("../../../../", import.meta.url));
await describeContract(${JSON.stringify(api.id)}, createClient, { root, createHandlers });
`;
}

/** `test/bundle.test.ts`: the built package's size as an app ships it. */
export function emitBundleTest(api: ApiModel): string {
  return `${generatedHeader(api)}
import { fileURLToPath } from "node:url";
import { describeBundle } from "@contracts/testkit/bundle";

await describeBundle(fileURLToPath(new URL("..", import.meta.url)));
`;
}
