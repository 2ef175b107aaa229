import type { ApiModel, OperationModel, SchemeModel } from "../model.ts";
import { doNotEditNote } from "./header.ts";
import { tsLiteral } from "./literal.ts";
import { mswReadmeSection } from "./msw.ts";

export function callExample(operation: OperationModel): string {
  const init: string[] = [];
  const locations = Object.entries(operation.exampleParams).map(
    ([location, values]) => `${location}: ${tsLiteral(values)}`,
  );
  if (locations.length > 0) init.push(`  params: { ${locations.join(", ")} },`);
  if (operation.requestExample !== undefined) init.push(`  body: ${tsLiteral(operation.requestExample, "  ")},`);
  return init.length > 0 ? `{\n${init.join("\n")}\n}` : "";
}

/** The README's usage example; the same text is compiled by the package's type tests. */
export function usageExample(api: ApiModel): string {
  const [operation] = api.operations;
  const refused = operation?.client.errorStatuses[0]?.status;
  const call = operation
    ? `const { data, error, status } = await client.${operation.name}(${callExample(operation)});
if (data) {
  console.log(data);
${
  refused === undefined
    ? ""
    : `} else if (status === ${refused}) {
  console.error("${operation.name} refused:", error); // typed as the spec's ${refused} body
`
}} else {
  console.error(\`${operation.name} failed with \${status}:\`, error);
}`
    : "";
  return `import { createClient } from "${api.packageName}";

${clientCreation(api)}

${call}
`;
}

/** How the usage example makes its client: where the credentials come from, and a baseUrl where the spec has no server. */
function clientCreation(api: ApiModel): string {
  const baseUrl = api.server ? "" : `baseUrl: "https://api.example.com"`;
  const { credentials } = api;
  if (credentials.option === "none") return `const client = createClient(${baseUrl ? `{ ${baseUrl} }` : ""});`;
  if (credentials.option === "apiKey") {
    return `// The key comes from ${credentials.env}, or pass it: createClient({ apiKey: "..." }).
const client = createClient(${baseUrl ? `{ ${baseUrl} }` : ""});`;
  }
  const [scheme] = credentials.schemes;
  const value = scheme!.kind === "basic" ? `{ username: "...", password: "..." }` : `"..."`;
  return `// Each scheme's credential comes from its environment variable (see Options), or pass it.
const client = createClient({ ${baseUrl ? `${baseUrl}, ` : ""}credentials: { ${literalKey(scheme!.schemeName)}: ${value} } });`;
}

export const literalKey = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

function operationRow(operation: OperationModel): string {
  const retried = operation.client.retried ? "yes" : "only if the call passes `maxRetries`";
  return `| \`client.${operation.name}()\` | \`${operation.method.toUpperCase()} ${operation.path}\` | ${operation.summary} | ${retried}: ${operation.client.retriedBecause} |`;
}

/** The operations table; a column of credentials where the client takes them per scheme. */
function operationsTable(api: ApiModel): string {
  const perScheme = api.credentials.option === "credentials";
  const rows = api.operations.map((operation) =>
    perScheme ? `${operationRow(operation)} ${securityCell(operation)} |` : operationRow(operation),
  );
  return `| method | endpoint | summary | retried |${perScheme ? " credentials |" : ""}
| --- | --- | --- | --- |${perScheme ? " --- |" : ""}
${rows.join("\n")}`;
}

/** Where a credential goes, in words, as the spec's security scheme says. */
function placement(scheme: SchemeModel, what: string): string {
  const value = scheme.kind === "basic" ? "Basic <base64 of username:password>" : `${scheme.prefix}<${what}>`;
  const raw = scheme.prefix ? "" : ` (the raw ${what}, no prefix)`;
  if (scheme.in === "query") return `the query parameter \`${scheme.name}=${value}\`${raw}`;
  if (scheme.in === "cookie") return `the cookie \`${scheme.name}=${value}\`${raw}`;
  return `\`${scheme.name}: ${value}\`${raw}`;
}

const scoping = `only to \`baseUrl\`: it is set on a request
after every middleware, only when the request's final URL is under the configured \`baseUrl\`,
whatever \`baseUrl\` or \`fetch\` a call passes.`;

/** The README's rows of credential options, and what it says of where credentials go. */
function credentialsText(api: ApiModel): { rows: string[]; text: string } {
  const { credentials } = api;
  if (credentials.option === "none") return { rows: [], text: "The API takes no credentials." };
  if (credentials.option === "apiKey") {
    return {
      rows: [`| \`apiKey\` | the \`${credentials.env}\` environment variable; \`null\` sends no credentials |`],
      text: `A key with a control character (a stray newline) or a character outside Latin-1 makes
\`createClient\` throw \`InvalidApiKeyError\`, which names the position, never the key.

The key is sent as ${placement(credentials.scheme, "key")}, and ${scoping}`,
    };
  }
  const schemes = credentials.schemes.map((scheme) => {
    const given =
      scheme.kind === "basic"
        ? "`{ username, password }`"
        : scheme.kind === "token"
          ? "an access token, or a function returning one (called per call, so it may refresh)"
          : "the key";
    const env = typeof scheme.env === "string" ? `\`${scheme.env}\`` : `\`${scheme.env[0]}\` and \`${scheme.env[1]}\``;
    return `| \`${scheme.schemeName}\` | ${given} | ${env} | ${placement(scheme, scheme.kind === "token" ? "token" : "key")} |`;
  });
  return {
    rows: ["| `credentials` | each scheme's environment variable, below; `null` sends no credentials |"],
    text: `\`credentials\` takes one entry per security scheme, by its name in the spec:

| scheme | give | else from | sent as |
| --- | --- | --- | --- |
${schemes.join("\n")}

Each call sends the credentials of the first of its operation's security requirements (see
Operations) that the client holds all of; a call that needs credentials it does not hold rejects
with \`MissingCredentialsError\`, naming the schemes and their variables, before anything is sent.
A credential with a control character or a character outside Latin-1 rejects the call with
\`InvalidApiKeyError\`, which names the position, never the value. Credentials are sent ${scoping}`,
  };
}

/** The server URL's variables, their defaults taken, for a caller who wants others in their baseUrl. */
function serverVariablesNote(server: NonNullable<ApiModel["server"]>): string {
  if (server.variables.length === 0) return "";
  const variables = server.variables.map(
    (variable) =>
      `\`${variable.name}\` (default \`${variable.default}\`${variable.enum ? `; one of ${variable.enum.map((value) => `\`${value}\``).join(", ")}` : ""})`,
  );
  return `; the spec's server has variables, set to their defaults here: ${variables.join(", ")}`;
}

/** An operation's security, in words, for the operations table. */
function securityCell(operation: OperationModel): string {
  if (operation.security.length === 0) return "none";
  return operation.security
    .map((requirement) => (requirement.length === 0 ? "none" : requirement.map((name) => `\`${name}\``).join(" + ")))
    .join(" or ");
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
${
  api.credentials.option === "credentials"
    ? "| `MissingCredentialsError` | at a call: none of its operation's security requirements is met by the credentials held | |\n| `InvalidApiKeyError` | at a call: a credential no header can carry | |\n| `MissingBaseUrlError` | at `createClient`: no server to call | |"
    : "| `MissingApiKeyError`, `InvalidApiKeyError`, `MissingBaseUrlError` | at `createClient`: no key, a key no header can carry, no server to call | |"
}

## Options

\`createClient(options)\` takes them all; \`timeout\`, \`maxRetries\`, \`validateResponses\`, \`signal\`,
\`fetch\` and \`baseUrl\` also per call, e.g.
\`client.${api.operations[0]?.name ?? "operation"}({ ..., timeout: 5_000, maxRetries: 0, signal })\`.

| option | default |
| --- | --- |
${credentialsText(api)
  .rows.map((row) => `${row}\n`)
  .join(
    "",
  )}| \`baseUrl\` | ${api.server ? `\`${api.server.url}\`${api.server.description ? ` (${api.server.description})` : ""}${serverVariablesNote(api.server)}` : "none: required, the spec names no server"} |
| \`fetch\` | \`globalThis.fetch\` |
| \`headers\` | none: headers sent with every request |
| \`timeout\` | 60 000 ms for the whole call, retries and waits included; then it rejects with an \`ApiTimeoutError\` |
| \`maxRetries\` | 2 where a repeat is safe (see Retries), else 0 |
| \`validateResponses\` | off: on, each answer's body is checked against the spec's schema for its status (for catching a provider's drift in development); the precompiled checks are loaded only then and use no \`eval\` |
| \`signal\` (per call) | none: an \`AbortSignal\` of yours; aborting it rejects the call with \`ApiUserAbortError\` |

${credentialsText(api).text}

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

${mswReadmeSection(api)}## Operations

${operationsTable(api)}

Types: \`<Operation>RequestBody\`, \`<Operation>Response\` and \`<Operation>Error\` for each
operation (e.g. \`${api.operations[0]?.types.response ?? "OperationResponse"}\`), \`Schemas\` for every schema of the spec, and
\`paths\`/\`operations\`/\`components\` as openapi-typescript emits them.
`;
}
