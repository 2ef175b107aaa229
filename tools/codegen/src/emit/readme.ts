import type { ApiModel, OperationModel } from "../model.ts";
import { doNotEditNote } from "./header.ts";
import { tsLiteral } from "./literal.ts";

function callExample(operation: OperationModel): string {
  const init: string[] = [];
  if (Object.keys(operation.pathParameters).length > 0)
    init.push(`  params: { path: ${tsLiteral(operation.pathParameters)} },`);
  if (operation.requestExample !== undefined) init.push(`  body: ${tsLiteral(operation.requestExample, "  ")},`);
  return init.length > 0 ? `{\n${init.join("\n")}\n}` : "";
}

/** The README's usage example; the same text is compiled by the package's type tests. */
export function usageExample(api: ApiModel): string {
  const [operation] = api.operations;
  const refused = operation?.client.errorStatuses[0]?.status;
  const call = operation
    ? `const { data, error, status } = await client.${operation.id}(${callExample(operation)});
if (data) {
  console.log(data);
${
  refused === undefined
    ? ""
    : `} else if (status === ${refused}) {
  console.error("${operation.id} refused:", error); // typed as the spec's ${refused} body
`
}} else {
  console.error(\`${operation.id} failed with \${status}:\`, error);
}`
    : "";
  return `import { createClient } from "${api.packageName}";

// The key comes from ${api.apiKeyEnv}, or pass it: createClient({ apiKey: "..." }).
const client = createClient();

${call}
`;
}

function operationRow(operation: OperationModel): string {
  return `| \`client.${operation.id}()\` | \`${operation.method.toUpperCase()} ${operation.path}\` | ${operation.summary} | ${operation.client.idempotent ? "yes" : "only if the call passes \\`maxRetries\\`"} |`;
}

/** `README.md` of the client package. */
export function emitReadme(api: ApiModel): string {
  const scheme = api.auth.prefix
    ? `\`${api.auth.header}: ${api.auth.prefix}<key>\``
    : `\`${api.auth.header}: <key>\` (the raw key, no prefix)`;
  return `<!-- ${doNotEditNote(api)} -->
# ${api.packageName}

Typed client for **${api.title}**, generated from [\`${api.specFile}\`](../../../${api.specFile}) with
[openapi-typescript](https://openapi-ts.dev) and [openapi-fetch](https://openapi-ts.dev/openapi-fetch/).
Runs on Node 18+ and in browsers; ESM only.

## Usage

\`\`\`ts
${usageExample(api)}\`\`\`

Every method returns openapi-fetch's \`{ data, error, response }\` plus \`status\` (a copy of
\`response.status\`): \`data\` is the typed success body; \`error\` is typed per status, so
\`if (result.status === 404) result.error\` is the spec's 404 body. (Narrow on \`result.status\`:
TypeScript cannot narrow \`result\` through \`result.response.status\`.) A status the spec does not
document has \`error: unknown\`: the parsed JSON, or the text when the body is not JSON (a proxy's
HTML 502, say). The types trust the spec for documented statuses. A network failure, after
its retries, rejects the promise with the cause.

## Options

\`createClient(options)\` takes them all; \`timeout\`, \`maxRetries\` and \`signal\` also per call,
e.g. \`client.${api.operations[0]?.id ?? "operation"}({ ..., timeout: 5_000, maxRetries: 0, signal })\`.

| option | default |
| --- | --- |
| \`apiKey\` | the \`${api.apiKeyEnv}\` environment variable; \`null\` sends no credentials |
| \`baseUrl\` | \`${api.defaultBaseUrl}\`${api.serverDescription ? ` (${api.serverDescription})` : ""} |
| \`fetch\` | \`globalThis.fetch\` |
| \`headers\` | none: headers sent with every request |
| \`timeout\` | 60 000 ms for the whole call, retries and waits included; then it rejects with a \`TimeoutError\` |
| \`maxRetries\` | 2 (0 sends once) |
| \`signal\` (per call) | none: an \`AbortSignal\` of yours; aborting it rejects the call with its reason |

A key with a control character (a stray newline) or a character outside Latin-1 makes
\`createClient\` throw \`InvalidApiKeyError\`, which names the position, never the key.

## Retries

A network failure or a 408, 409, 429 or 5xx answer is retried up to \`maxRetries\` times; no
other 4xx is. The wait is what the server asks for (\`retry-after-ms\`, else \`Retry-After\` in
seconds or as an HTTP date), else exponential backoff from 0.5 s to 8 s with up to 25% jitter.
A wait that would not end before \`timeout\` is not slept: the answer comes back at once.

Which operations are retried by default: those whose repeat is safe. That is the methods
RFC 9110 calls idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) and PATCH, whose bodies in
this API set fields to values, so applying one twice leaves the same state; never POST. An
operation's \`x-idempotent: true|false\` in the spec overrides the rule. An operation not
retried by default still retries when a call passes \`maxRetries\`. The retried column below
applies the rule. openapi-fetch's own \`client.${(api.operations[0]?.method ?? "get").toUpperCase()}()\` is plain openapi-fetch: no timeout, no retries.

The key is sent as ${scheme}, and only to \`baseUrl\`.

## Operations

| method | endpoint | summary | retried |
| --- | --- | --- | --- |
${api.operations.map(operationRow).join("\n")}

Types: \`<Operation>RequestBody\`, \`<Operation>Response\` and \`<Operation>Error\` for each
operation (e.g. \`${api.operations[0]?.types.response ?? "OperationResponse"}\`), \`Schemas\` for every schema of the spec, and
\`paths\`/\`operations\`/\`components\` as openapi-typescript emits them.
`;
}
