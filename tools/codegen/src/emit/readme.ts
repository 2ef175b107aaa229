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
  const retried = operation.client.retried ? "yes" : "only if the call passes `maxRetries`";
  return `| \`client.${operation.id}()\` | \`${operation.method.toUpperCase()} ${operation.path}\` | ${operation.summary} | ${retried}: ${operation.client.retriedBecause} |`;
}

/** Where the key goes, in words, as the spec's security scheme says. */
function keyPlacement(auth: ApiModel["auth"]): string {
  const value = auth.prefix ? `${auth.prefix}<key>` : "<key>";
  const raw = auth.prefix ? "" : " (the raw key, no prefix)";
  if (auth.in === "query") return `the query parameter \`${auth.name}=${value}\`${raw}`;
  if (auth.in === "cookie") return `the cookie \`${auth.name}=${value}\`${raw}`;
  return `\`${auth.name}: ${value}\`${raw}`;
}

/** `README.md` of the client package. */
export function emitReadme(api: ApiModel): string {
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
HTML 502, say). The types trust the spec for documented statuses.

## Errors

HTTP error answers are returned, never thrown. What is thrown is one family, all subclasses of
\`ApiClientError\`, so \`error instanceof ApiClientError\` catches any of them and each can be told
apart by its own class:

| thrown | when | \`cause\` |
| --- | --- | --- |
| \`ApiConnectionError\` | no answer came (refused, reset, DNS, TLS), after the retries | fetch's own error |
| \`ApiTimeoutError\` | the whole call, retries and waits included, outlasted \`timeout\` | |
| \`ApiUserAbortError\` | the call's \`signal\` aborted | the signal's reason |
| \`ResponseValidationError\` | with \`validateResponses\`, a body broke its status's schema (\`violations\` name each pointer) | |
| \`MissingApiKeyError\`, \`InvalidApiKeyError\`, \`MissingBaseUrlError\` | at \`createClient\`: no key, a key no header can carry, no server to call | |

## Options

\`createClient(options)\` takes them all; \`timeout\`, \`maxRetries\`, \`validateResponses\`, \`signal\`,
\`fetch\` and \`baseUrl\` also per call, e.g.
\`client.${api.operations[0]?.id ?? "operation"}({ ..., timeout: 5_000, maxRetries: 0, signal })\`.

| option | default |
| --- | --- |
| \`apiKey\` | the \`${api.apiKeyEnv}\` environment variable; \`null\` sends no credentials |
| \`baseUrl\` | \`${api.defaultBaseUrl}\`${api.serverDescription ? ` (${api.serverDescription})` : ""} |
| \`fetch\` | \`globalThis.fetch\` |
| \`headers\` | none: headers sent with every request |
| \`timeout\` | 60 000 ms for the whole call, retries and waits included; then it rejects with an \`ApiTimeoutError\` |
| \`maxRetries\` | 2 where a repeat is safe (see Retries), else 0 |
| \`validateResponses\` | off: on, each answer's body is checked against the spec's schema for its status (for catching a provider's drift in development); the precompiled checks are loaded only then and use no \`eval\` |
| \`signal\` (per call) | none: an \`AbortSignal\` of yours; aborting it rejects the call with \`ApiUserAbortError\` |

A key with a control character (a stray newline) or a character outside Latin-1 makes
\`createClient\` throw \`InvalidApiKeyError\`, which names the position, never the key.

The key is sent as ${keyPlacement(api.auth)}, and only to \`baseUrl\`: it is set on a request
after every middleware, only when the request's final URL is under the configured \`baseUrl\`,
whatever \`baseUrl\` or \`fetch\` a call passes.

## One call path

The typed methods and openapi-fetch's own \`client.GET()\`, \`client.${(api.operations[0]?.method ?? "get").toUpperCase()}()\`, ...
and \`client.request()\` take the same path: the timeout, the retries, the key's scoping and
\`validateResponses\` apply to all of them, and middleware added with \`client.use()\` sees
every call.

## Retries

A network failure or a 408, 409, 429 or 5xx answer is retried up to \`maxRetries\` times; no
other 4xx is. The wait is what the server asks for (\`retry-after-ms\`, else \`Retry-After\` in
seconds or as an HTTP date), else exponential backoff from 0.5 s to 8 s with up to 25% jitter.
A wait that would not end before \`timeout\` is not slept: the answer comes back at once.

Which operations are retried by default, from the spec: where an operation declares
\`x-idempotent: true|false\`, that; else the methods HTTP calls idempotent (GET, HEAD, OPTIONS,
TRACE, PUT, DELETE), so a POST or PATCH is retried only where the spec says its repeat is safe.
An operation not retried by default still retries when a call passes \`maxRetries\`. The retried
column below gives each operation's rule and its reason.

## Operations

| method | endpoint | summary | retried |
| --- | --- | --- | --- |
${api.operations.map(operationRow).join("\n")}

Types: \`<Operation>RequestBody\`, \`<Operation>Response\` and \`<Operation>Error\` for each
operation (e.g. \`${api.operations[0]?.types.response ?? "OperationResponse"}\`), \`Schemas\` for every schema of the spec, and
\`paths\`/\`operations\`/\`components\` as openapi-typescript emits them.
`;
}
