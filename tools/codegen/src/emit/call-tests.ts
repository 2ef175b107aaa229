import type { ApiModel, OperationModel } from "../model.ts";
import { generatedHeader } from "./header.ts";
import { bodyType, clientOptionsLiteral, credentialMisuses, initLiteral, validInit } from "./tests.ts";

/** A status no operation documents, to check that an undocumented status leaves `error` unknown. */
function undocumentedStatus(operation: OperationModel): number {
  const documented = new Set(operation.client.errorStatuses.map(({ status }) => status));
  return [502, 503, 504, 599].find((status) => !documented.has(status)) ?? 599;
}

function operationCallTests(operation: OperationModel): string {
  const valid = validInit(operation);
  const withOption = (option: string) => initLiteral(valid, undefined, [option]);
  const call = (init: string) => `await client.${operation.name}(${init});`;
  const perStatus = operation.client.errorStatuses
    .filter(({ schema }) => schema !== undefined)
    .map(
      ({ status, schema }) =>
        `  if (result.status === ${status}) expectTypeOf(result.error).toEqualTypeOf<${bodyType(schema!)}>();`,
    );
  return `// ${operation.name}: ${operation.method.toUpperCase()} ${operation.path}
{
  const result = ${call(initLiteral(valid))}
${operation.successBody ? `  if (result.status === 200) expectTypeOf(result.data).toEqualTypeOf<${operation.types.response}>();` : ""}
${perStatus.join("\n")}
  if (result.status === ${undocumentedStatus(operation)}) expectTypeOf(result.error).toBeUnknown();
  expectTypeOf(result.response).toEqualTypeOf<Response>();
  ${call(withOption("timeout: 5_000, maxRetries: 0, signal: AbortSignal.timeout(1_000)"))}
  // @ts-expect-error a timeout that is not a number of milliseconds
  ${call(withOption('timeout: "5s"'))}
  // @ts-expect-error maxRetries that is not a number
  ${call(withOption('maxRetries: "2"'))}
  // @ts-expect-error a signal that is not an AbortSignal
  ${call(withOption("signal: 1_000"))}
  // @ts-expect-error an option the client does not have
  ${call(withOption("retries: 3"))}
}`;
}

/**
 * `test/calls.test-d.ts`: the typed results and call options, compiled by `typecheck`, never run.
 * `error` narrows per documented status; misused options must not compile.
 */
export function emitCallTypeTests(api: ApiModel): string {
  const typeNames = api.operations.map((operation) => `type ${operation.types.response}`);
  return `${generatedHeader(api)}
import type { Readable } from "@contracts/client-core";
import { expectTypeOf } from "vitest";
import { createClient, type Schemas, ${typeNames.join(", ")} } from "${api.packageName}";

const client = createClient(${clientOptionsLiteral(api, ["timeout: 10_000", "maxRetries: 1"])});

// @ts-expect-error a client timeout that is not a number of milliseconds
createClient(${clientOptionsLiteral(api, ['timeout: "5s"'])});
// @ts-expect-error a client maxRetries that is not a number
createClient(${clientOptionsLiteral(api, ["maxRetries: true"])});
// @ts-expect-error an option the client does not have
createClient(${clientOptionsLiteral(api, ["retries: 3"])});
${credentialMisuses(api)}

${api.operations.map(operationCallTests).join("\n\n")}
`;
}
