import { directional } from "@contracts/spec";
import { selfContained, standaloneAjv, standaloneChecks } from "../ajv.ts";
import type { Emitter } from "../emitter.ts";
import { generatedHeader } from "../header.ts";
import type { ApiModel } from "../model.ts";
import { tsKey, tsString } from "../print.ts";

/**
 * The lookup every validators module ends with: the check of the documented response the status
 * falls under (client-core's reading), and Ajv's errors as client-core's ResponseViolation.
 */
const violationsOf = `export function violationsOf(method, path, status, body) {
  const byStatus = checks[\`\${method} \${path}\`] ?? {};
  const check = byStatus[documentedStatus(Object.keys(byStatus), status)];
  if (!check || check(body)) return [];
  return (check.errors ?? []).map(({ instancePath, message }) => ({ pointer: instancePath, message }));
}
`;

/** How a webhook's or callback's payload breaks its schema, by the webhook's name. */
const payloadViolationsOf = `export function payloadViolationsOf(name, body) {
  const check = payloadChecks[name];
  if (check(body)) return [];
  return (check.errors ?? []).map(({ instancePath, message }) => ({ pointer: instancePath, message }));
}
`;

/**
 * `src/generated/validators.ts`: each documented JSON response schema precompiled by Ajv into
 * plain functions (no `eval` at run time, so it runs under a strict CSP), loaded by the client
 * only when a call asks for `validateResponses`.
 */
export async function emitValidatorsModule(api: ApiModel): Promise<string> {
  // As a response: writeOnly properties not required, and refused where sent.
  const { checkOf, compiled } = standaloneChecks(standaloneAjv(directional(api.document, "response")));
  const table = api.operations.map((operation) => {
    const statuses = operation.checks.responses.map(
      ({ status, schemaPointer }) => `${tsString(status)}: ${checkOf(schemaPointer)}`,
    );
    return `  ${tsString(`${operation.method.toUpperCase()} ${operation.path}`)}: { ${statuses.join(", ")} },`;
  });
  const payloads = api.webhooks.map(({ name, schemaPointer }) => `  ${tsKey(name)}: ${checkOf(schemaPointer)},`);
  // Bundled in from client-core's source (the import is relative to ajv.ts, `selfContained`'s folder), as Ajv's runtime is.
  const module = `import { documentedStatus } from "../../../packages/client-core/src/responses.ts";
${compiled()}
const checks = {
${table.join("\n")}
};
${violationsOf}${
  payloads.length === 0
    ? ""
    : `const payloadChecks = {
${payloads.join("\n")}
};
${payloadViolationsOf}`
}`;
  return `${generatedHeader(api)}// @ts-nocheck: Ajv's standalone output, bundled with what it requires, is plain JavaScript.\n${await selfContained(module)}`;
}

export const validatorsEmitter: Emitter = {
  name: "validators",
  files: async (api) => ({ "src/generated/validators.ts": await emitValidatorsModule(api) }),
};
