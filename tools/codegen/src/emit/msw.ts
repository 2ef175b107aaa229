/**
 * The package's `./msw` entry: Mock Service Worker handlers answering as the Prism mocks do, from
 * the same spec. client-core's `mockApi` is the engine; what is emitted here is the API's data
 * (operations, parameters, security, documented answers), its precompiled request checks and the
 * types of each operation's answers.
 */

import { directional } from "@contracts/spec";
import { selfContained, standaloneAjv, standaloneChecks } from "../ajv.ts";
import type { Emitter } from "../emitter.ts";
import { generatedHeader } from "../header.ts";
import type { ApiModel } from "../model.ts";
import { docComment, tsKey, tsLiteral, tsString } from "../print.ts";

/** `src/generated/mock.ts`: the API as its MSW handlers answer it, all from the spec. */
export function emitMockModule(api: ApiModel): string {
  const description = {
    ...(api.server && { defaultBaseUrl: api.server.url }),
    schemes: api.mockSchemes,
    operations: Object.fromEntries(api.operations.map((operation) => [operation.name, operation.mock])),
  };
  return `${generatedHeader(api)}
import type { MockDescription } from "@contracts/client-core/msw";
import { requestViolationsOf } from "./request-validators.js";
import { violationsOf } from "./validators.js";

const description: Omit<MockDescription, "checks"> = ${tsLiteral(JSON.parse(JSON.stringify(description)), "")};

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
 * `src/generated/request-validators.ts`: each operation's JSON (or URL-encoded form) request body schema and, per
 * location, its parameters (as one object, their values coerced from text as Prism does),
 * precompiled by Ajv into plain functions: no `eval`, so the handlers run under a strict CSP.
 * Only the `./msw` entry loads it.
 */
export async function emitRequestValidatorsModule(api: ApiModel): Promise<string> {
  // As a request: readOnly properties not required, and refused where sent (as the Prism mocks refuse them).
  const asRequest = directional(api.document, "request");
  const bodies = standaloneChecks(standaloneAjv(asRequest));
  const parameterAjv = standaloneAjv(asRequest, { coerceTypes: true });
  const parameters = standaloneChecks(parameterAjv);
  // A form's fields arrive as text, and a field given once is a one-item list where the schema wants one (as Prism reads them).
  const forms = standaloneChecks(standaloneAjv(asRequest, { coerceTypes: "array" }));
  const table = api.operations.map((operation, index) => {
    const checks: string[] = [];
    if (operation.checks.body !== undefined) checks.push(`body: body.${bodies.checkOf(operation.checks.body)}`);
    if (operation.checks.form !== undefined) checks.push(`form: forms.${forms.checkOf(operation.checks.form)}`);
    for (const { location, properties, required } of operation.checks.parameters) {
      // A plain name: an id with slashes would be a base URI that the schemas' `spec#...` refs resolve against.
      const id = `parameters${index}${location}`;
      parameterAjv.addSchema(
        {
          type: "object",
          properties: Object.fromEntries(
            properties.map(({ name, schemaPointer }) => [name, schemaPointer ? { $ref: `spec#${schemaPointer}` } : {}]),
          ),
          required,
        },
        id,
      );
      checks.push(`${location}: parameters.${parameters.checkOf(id)}`);
    }
    return `  ${tsString(`${operation.method.toUpperCase()} ${operation.path}`)}: { ${checks.join(", ")} },`;
  });
  const module = `import * as body from "virtual:body";
import * as forms from "virtual:forms";
import * as parameters from "virtual:parameters";
const requestChecks = {
${table.join("\n")}
};
${requestViolationsOf}`;
  const bundled = await selfContained(module, {
    body: bodies.compiled(),
    forms: forms.compiled(),
    parameters: parameters.compiled(),
  });
  return `${generatedHeader(api)}// @ts-nocheck: Ajv's standalone output, bundled with what it requires, is plain JavaScript.\n${bundled}`;
}

/** `src/msw.ts`: the `./msw` entry, its handlers and `override` typed by each operation's documented answers. */
export function emitMswModule(api: ApiModel): string {
  const answers = api.operations.map((operation) => {
    const of = `paths[${tsString(operation.path)}][${tsString(operation.method)}]`;
    const statuses = operation.statuses.map(({ status }) => `      ${status}: ResponseBodyOf<${of}, ${status}>;`);
    const names = [...new Set(operation.statuses.flatMap(({ examples }) => examples))].map(tsString);
    return `  ${tsKey(operation.name)}: {
    statuses: ${statuses.length > 0 ? `{\n${statuses.join("\n")}\n    }` : "Record<never, never>"};
    examples: ${names.length > 0 ? names.join(" | ") : "never"};
  };`;
  });
  const where = api.server ? `\`${api.server.url}\`` : "any origin (the spec names no server)";
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

${docComment(`One MSW handler per operation, for ${where}, then one per path answering 405 to other methods.`)}
export const handlers = mocks.handlers;
/** The same handlers for another base URL: \`createHandlers({ baseUrl })\`. */
export const createHandlers = mocks.createHandlers;
/** A handler making one operation answer a documented status, a named example or a typed body; \`server.use(override(...))\`. */
export const override = mocks.override;
`;
}

/** The `./msw` entry, the data its handlers answer from, and their precompiled request checks. */
export const mswEmitter: Emitter = {
  name: "msw",
  files: async (api) => ({
    "src/msw.ts": emitMswModule(api),
    "src/generated/mock.ts": emitMockModule(api),
    "src/generated/request-validators.ts": await emitRequestValidatorsModule(api),
  }),
};
