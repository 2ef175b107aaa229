import { isObject, type Json, withoutKey, withUnknownKey } from "@contracts/spec";
import { bodyType, type CallInit, checksPerOperation, clientOptionsLiteral, initLiteral, validInit } from "../calls.ts";
import type { Emitter } from "../emitter.ts";
import { generatedHeader } from "../header.ts";
import type { ApiModel, OperationModel } from "../model.ts";
import { lineComment, tsKey, tsString } from "../print.ts";

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
    cases.push({
      mistake: `the required field ${tsString(required)} missing`,
      init: at(withoutKey(example, [required])),
    });
  if (operation.wrongTypeExample !== undefined)
    cases.push({ mistake: "a value of the wrong type", init: at(operation.wrongTypeExample as Json) });
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

function operationTypeTests(operation: OperationModel): string {
  const { response, error } = operation.types;
  const valid = validInit(operation);
  const bodyUnion = (schemas: (string | undefined)[]) =>
    [...new Set(schemas)].map((schema) => (schema === undefined ? "undefined" : bodyType(schema))).join(" | ");
  const shapeChecks = [
    operation.successSchemas.length > 0 &&
      `  expectTypeOf<${response}>().toEqualTypeOf<${bodyUnion(operation.successSchemas)}>();`,
    operation.errorSchemas.length > 0 &&
      `  expectTypeOf<${error}>().toEqualTypeOf<${bodyUnion(operation.errorSchemas)}>();`,
  ].filter(Boolean);
  return `  const result = await client.${operation.name}(${initLiteral(valid, "  ")});
${operation.successBody && !operation.stream?.alone ? `  if (result.data !== undefined) expectTypeOf(result.data).toEqualTypeOf<${operation.successWithoutBody ? `Exclude<${response}, undefined>` : response}>();` : ""}
${shapeChecks.join("\n")}
${misuses(operation)
  .map(
    ({ mistake, init }) =>
      `  ${lineComment(`@ts-expect-error ${mistake}`)}\n  await client.${operation.name}(${initLiteral(init)});`,
  )
  .join("\n")}${operation.pagination ? paginationChecks(operation, initLiteral(valid, "  ")) : ""}`;
}

/** A list that pages: its walk's items are typed (neither \`any\` nor \`unknown\`), and a walk is iterated, not awaited. */
function paginationChecks(operation: OperationModel, init: string): string {
  const walk = `client.paginate.${operation.name}(${init})`;
  return `
  for await (const item of ${walk}) expectTypeOf(item).not.toBeAny();
  for await (const item of ${walk}) expectTypeOf(item).not.toBeUnknown();
  ${lineComment("@ts-expect-error a walk is iterated, not awaited for one result")}
  (await ${walk}).data;`;
}

/**
 * Credential providers in `createClient`'s options: one of the right kind compiles; one without
 * `refresh()`, and one giving the wrong kind of credential, do not. None for an API without credentials.
 */
function providerChecks(api: ApiModel): string {
  const { credentials } = api;
  if (credentials.option === "none") return "";
  const basic = `({ username: "type-tests", password: "only" })`;
  const scheme = credentials.option === "apiKey" ? undefined : credentials.schemes[0]!;
  const [right, wrong] = scheme?.kind === "basic" ? [basic, `"type-tests-only"`] : [`"type-tests-only"`, basic];
  const options = (provider: string) =>
    `{ ${api.server ? "" : 'baseUrl: "http://127.0.0.1:4010", '}${scheme ? `credentials: { ${tsKey(scheme.schemeName)}: ${provider} }` : `apiKey: ${provider}`} }`;
  return `
createClient(${options(`{ current: () => ${right}, refresh: async () => ${right} }`)});
${lineComment("@ts-expect-error a credential provider without refresh()")}
createClient(${options(`{ current: () => ${right} }`)});
${lineComment("@ts-expect-error a credential provider giving the wrong kind of credential")}
createClient(${options(`{ current: () => ${wrong}, refresh: () => ${wrong} }`)});
`;
}

/** `test/types.test-d.ts`: compiled by `typecheck`, never run. Misuse must not compile. */
export function emitTypeTests(api: ApiModel): string {
  const typeNames = api.operations.flatMap((operation) => [operation.types.error, operation.types.response]);
  return `${generatedHeader(api)}
import type { Readable } from "@contracts/client-core";
import { expectTypeOf } from "vitest";
import { createClient, type Schemas, ${typeNames.map((name) => `type ${name}`).join(", ")} } from ${tsString(api.packageName)};

const client = createClient(${clientOptionsLiteral(api)});
${providerChecks(api)}
${checksPerOperation(api, operationTypeTests)}
`;
}

export const typeTestsEmitter: Emitter = {
  name: "type tests",
  files: (api) => ({ "test/types.test-d.ts": emitTypeTests(api) }),
};
