import { bodyType, checksPerOperation, clientOptionsLiteral, initLiteral, validInit } from "../calls.ts";
import type { Emitter } from "../emitter.ts";
import { generatedHeader } from "../header.ts";
import type { ApiModel, OperationModel } from "../model.ts";
import { lineComment, tsKey, tsString } from "../print.ts";

/** Credentials and servers the API cannot use, each a call to `createClient` that must not compile. */
function credentialMisuses(api: ApiModel): string {
  const { credentials } = api;
  const misuse = (mistake: string, options: string) =>
    `${lineComment(`@ts-expect-error ${mistake}`)}\ncreateClient(${options});`;
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
        `{ ${baseUrl}credentials: { ${tsKey(scheme!.schemeName)}: ${scheme!.kind === "basic" ? `"user:password"` : '{ username: "u", password: "p" }'} } }`,
      ),
    );
    misuses.push(misuse("a single key, which this API does not take", clientOptionsLiteral(api, ['apiKey: "k"'])));
  }
  if (api.server === undefined)
    misuses.push("// @ts-expect-error no baseUrl, and the spec names no server\ncreateClient();");
  return misuses.join("\n");
}

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
    .filter(({ schemas }) => schemas.length > 0)
    .map(
      ({ status, schemas }) =>
        `  if (result.status === ${status}) expectTypeOf(result.error).toEqualTypeOf<${schemas.map(bodyType).join(" | ")}>();`,
    );
  // An answer that is an event stream has its events as `stream` (its data undefined), typed by the event schema.
  const { stream } = operation;
  const notStreamed = stream ? ` && !("stream" in result)` : "";
  const events =
    stream?.type &&
    `  if ("stream" in result) expectTypeOf(result.stream).toEqualTypeOf<AsyncIterable<ServerSentEvent<${stream.type}>>>();`;
  return `  const result = ${call(initLiteral(valid))}
${operation.successBody ? `  if (result.status === 200${notStreamed}) expectTypeOf(result.data).toEqualTypeOf<${operation.types.response}>();` : ""}
${events ? `${events}\n` : ""}${perStatus.join("\n")}
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
  ${call(withOption("retries: 3"))}`;
}

/**
 * `test/calls.test-d.ts`: the typed results and call options, compiled by `typecheck`, never run.
 * `error` narrows per documented status; misused options must not compile.
 */
export function emitCallTypeTests(api: ApiModel): string {
  const typeNames = api.operations.map((operation) => `type ${operation.types.response}`);
  const streamTypes = api.operations.some(({ stream }) => stream?.type) ? ["type ServerSentEvent"] : [];
  return `${generatedHeader(api)}
import type { Readable } from "@contracts/client-core";
import { expectTypeOf } from "vitest";
import { createClient, type Schemas, ${[...streamTypes, ...typeNames].join(", ")} } from ${tsString(api.packageName)};

const client = createClient(${clientOptionsLiteral(api, ["timeout: 10_000", "maxRetries: 1"])});

// @ts-expect-error a client timeout that is not a number of milliseconds
createClient(${clientOptionsLiteral(api, ['timeout: "5s"'])});
// @ts-expect-error a client maxRetries that is not a number
createClient(${clientOptionsLiteral(api, ["maxRetries: true"])});
// @ts-expect-error an option the client does not have
createClient(${clientOptionsLiteral(api, ["retries: 3"])});
${credentialMisuses(api)}

${checksPerOperation(api, operationCallTests)}
`;
}

export const callTestsEmitter: Emitter = {
  name: "call tests",
  files: (api) => ({ "test/calls.test-d.ts": emitCallTypeTests(api) }),
};
