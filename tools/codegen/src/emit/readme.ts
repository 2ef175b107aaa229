import { defaultsText } from "../defaults-text.ts";
import type { Emitter } from "../emitter.ts";
import { mswExample, paginationExample, refreshExample, streamExample, usageExample } from "../examples.ts";
import { generatedMarkdownHeader } from "../header.ts";
import type { ApiModel, OperationModel, SchemeModel } from "../model.ts";
import { mdCode, mdCodeBlock, mdLinkTarget, mdText } from "../print.ts";

// Every piece of spec text in the README goes through print.ts's Markdown functions: as text
// (\`mdText\`, which also keeps a table cell's columns) or as code (\`mdCode\`, in a cell or not).

function operationRow(operation: OperationModel): string {
  const retried = operation.client.retried ? "yes" : "only if the call passes `maxRetries`";
  return `| ${mdCode(`client.${operation.name}()`, "cell")} | ${mdCode(`${operation.method.toUpperCase()} ${operation.path}`, "cell")} | ${mdText(operation.summary)} | ${retried}: ${mdText(operation.client.retriedBecause)} |`;
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
function placement(scheme: SchemeModel, what: string, where: "text" | "cell"): string {
  const value = scheme.kind === "basic" ? "Basic <base64 of username:password>" : `${scheme.prefix}<${what}>`;
  const raw = scheme.prefix ? "" : ` (the raw ${what}, no prefix)`;
  if (scheme.in === "query") return `the query parameter ${mdCode(`${scheme.name}=${value}`, where)}${raw}`;
  if (scheme.in === "cookie") return `the cookie ${mdCode(`${scheme.name}=${value}`, where)}${raw}`;
  return `${mdCode(`${scheme.name}: ${value}`, where)}${raw}`;
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
      rows: [
        `| \`apiKey\` | the ${mdCode(credentials.env, "cell")} environment variable; \`null\` sends no credentials |`,
      ],
      text: `A key with a control character (a stray newline) or a character outside Latin-1 makes
\`createClient\` throw \`InvalidApiKeyError\`, which names the position, never the key.

The key is sent as ${placement(credentials.scheme, "key", "text")}, and ${scoping}`,
    };
  }
  const schemes = credentials.schemes.map((scheme) => {
    const given =
      scheme.kind === "basic"
        ? "`{ username, password }`"
        : scheme.kind === "token"
          ? "an access token, or a function returning one (called per call, so it may refresh)"
          : "the key";
    const provider = scheme.kind === "basic" ? "`CredentialProvider<BasicCredentials>`" : "`CredentialProvider`";
    const env =
      typeof scheme.env === "string"
        ? mdCode(scheme.env, "cell")
        : `${mdCode(scheme.env[0], "cell")} and ${mdCode(scheme.env[1], "cell")}`;
    return `| ${mdCode(scheme.schemeName, "cell")} | ${given}, or a ${provider} (see below) | ${env} | ${placement(scheme, scheme.kind === "token" ? "token" : "key", "cell")} |`;
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

/** The README section on credential providers, with its example; none for an API without credentials. */
function refreshSection(api: ApiModel): string {
  const example = refreshExample(api);
  if (example === undefined) return "";
  const where =
    api.credentials.option === "apiKey"
      ? "`apiKey` may also be a `CredentialProvider`"
      : "Each entry of `credentials` may also be a `CredentialProvider` (`CredentialProvider<BasicCredentials>` for HTTP basic)";
  return `
## Credentials that refresh

${where}:
\`current()\` gives the credential each call sends, \`refresh()\` a new one. A call answered 401
calls \`refresh()\` and is sent once more, to the same URL and with the same body, with what it
returns; a second 401 is the call's answer (one refresh and one resend at most per call). The
calls that meet a 401 together share one refresh, and a call whose credential was read before the
latest refresh began resends with that refresh's credential. \`refresh()\` should also make
\`current()\` give the new credential. A \`refresh()\` that throws rejects the call with
\`CredentialRefreshError\`, whose \`scheme\` names the scheme and whose \`cause\` is what it threw. A
request whose URL is not under \`baseUrl\` carries no credential, so its 401 is returned as it
came. The body is kept for the resend only by a call holding a provider, and the refresh's code is
loaded only then.

${mdCodeBlock(example, "ts")}
`;
}

/** The README section on event streams, with its example; none for an API without a streaming operation. */
function streamsSection(api: ApiModel): string {
  const example = streamExample(api);
  if (example === undefined) return "";
  const streaming = api.operations.filter(({ stream }) => stream).map(({ name }) => mdCode(name));
  return `
## Streams

${streaming.join(", ")} ${streaming.length === 1 ? "answers" : "answer"} with an event stream (\`text/event-stream\`): the
result's \`stream\` gives its events as they arrive, each \`{ data, event?, id?, retry? }\` with \`data\` typed by
the spec's event schema, or by its \`data\` property where the schema describes the event itself (an object of SSE's
fields: \`event\`, \`data\`, \`id\`, \`retry\`), and parsed from JSON where that schema is JSON, else the text sent. The call resolves once the
answer's headers arrive; its \`timeout\` ends there. Aborting the call's \`signal\` ends the stream (it throws
\`ApiUserAbortError\`) and frees the connection, as does leaving the loop early. An event whose data is not the JSON
its schema describes throws \`StreamEventError\` from the loop, naming the operation and the event. The stream's code
is loaded only by a call that streams.

${mdCodeBlock(example, "ts")}
`;
}

/** The README section on lists that page, with its example; none for an API without one. */
function paginationSection(api: ApiModel): string {
  const example = paginationExample(api);
  if (example === undefined) return "";
  const rows = api.operations.flatMap(({ name, pagination }) => {
    if (!pagination) return [];
    const items = pagination.items ? mdCode(pagination.items) : "the body";
    return [`| ${mdCode(`paginate.${name}`)} | ${pagination.style} | ${items} |`];
  });
  return `
## Pagination

Each list that pages has an entry in \`client.paginate\`, taking its method's arguments: iterate it for every item of
every page (typed as the list's items), or its \`.pages()\` for each page's result as the method gives it. Each page
is one call with the same options (\`signal\`, \`timeout\` per page, retries); the next page's cursor or link comes
from the answer, and the walk ends on the last page (no more, no next link, an empty list). A cursor or next link
the API gives twice ends it with \`PaginationError\`, as does an error answer while iterating items (\`.pages()\`
yields that page and ends). The paging code is loaded only when a walk starts. How each list pages is the spec's
\`x-pagination\` where it says, else what its answer makes plain:

| entry | style | items at |
| --- | --- | --- |
${rows.join("\n")}

${mdCodeBlock(example, "ts")}
`;
}

/** The server URL's variables, their defaults taken, for a caller who wants others in their baseUrl. */
function serverVariablesNote(server: NonNullable<ApiModel["server"]>): string {
  if (server.variables.length === 0) return "";
  const variables = server.variables.map(
    (variable) =>
      `${mdCode(variable.name, "cell")} (default ${mdCode(variable.default, "cell")}${variable.enum ? `; one of ${variable.enum.map((value) => mdCode(value, "cell")).join(", ")}` : ""})`,
  );
  return `; the spec's server has variables, set to their defaults here: ${variables.join(", ")}`;
}

/** An operation's security, in words, for the operations table. */
function securityCell(operation: OperationModel): string {
  if (operation.security.length === 0) return "none";
  return operation.security
    .map((requirement) =>
      requirement.length === 0 ? "none" : requirement.map((name) => mdCode(name, "cell")).join(" + "),
    )
    .join(" or ");
}

/** `README.md` of the client package. */
export function emitReadme(api: ApiModel): string {
  return `${generatedMarkdownHeader(api)}
# ${mdText(api.packageName)}

Typed client for **${mdText(api.title)}**, generated from [${mdCode(api.specFile)}](${mdLinkTarget(`../../../${api.specFile}`)}) with
[openapi-typescript](https://openapi-ts.dev) and [openapi-fetch](https://openapi-ts.dev/openapi-fetch/).
Runs on Node 18+ and in browsers; ESM only.

## Usage

${mdCodeBlock(usageExample(api), "ts")}

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
  api.credentials.option === "none"
    ? ""
    : "| `CredentialRefreshError` | at a call answered 401: a credential provider's `refresh()` threw (`scheme` names the scheme) | what it threw |\n"
}${
  api.credentials.option === "credentials"
    ? "| `MissingCredentialsError` | at a call: none of its operation's security requirements is met by the credentials held | |\n| `InvalidApiKeyError` | at a call: a credential no header can carry | |\n| `MissingBaseUrlError` | at `createClient`: no server to call | |"
    : "| `MissingApiKeyError`, `InvalidApiKeyError`, `MissingBaseUrlError` | at `createClient`: no key, a key no header can carry, no server to call | |"
}

## Options

\`createClient(options)\` takes them all; \`timeout\`, \`maxRetries\`, \`validateResponses\`, \`signal\`,
\`fetch\` and \`baseUrl\` also per call, e.g.
${mdCode(`client.${api.operations[0]?.name ?? "operation"}({ ..., timeout: 5_000, maxRetries: 0, signal })`)}.

| option | default |
| --- | --- |
${credentialsText(api)
  .rows.map((row) => `${row}\n`)
  .join(
    "",
  )}| \`baseUrl\` | ${api.server ? `${mdCode(api.server.url, "cell")}${api.server.description ? ` (${mdText(api.server.description)})` : ""}${serverVariablesNote(api.server)}` : "none: required, the spec names no server"} |
| \`fetch\` | \`globalThis.fetch\` |
| \`headers\` | none: headers sent with every request |
| \`timeout\` | ${defaultsText.timeout} for the whole call, retries and waits included; then it rejects with an \`ApiTimeoutError\` |
| \`maxRetries\` | ${defaultsText.maxRetries} where a repeat is safe (see Retries), else 0 |
| \`validateResponses\` | off: on, each answer's body is checked against the spec's schema for its status (for catching a provider's drift in development); the precompiled checks are loaded only then and use no \`eval\` |
| \`signal\` (per call) | none: an \`AbortSignal\` of yours; aborting it rejects the call with \`ApiUserAbortError\` |

${credentialsText(api).text}
${refreshSection(api)}${paginationSection(api)}${streamsSection(api)}
## One call path

The typed methods and openapi-fetch's own \`client.GET()\`, ${mdCode(`client.${(api.operations[0]?.method ?? "get").toUpperCase()}()`)}, ...
and \`client.request()\` take the same path: the timeout, the retries, the key's scoping and
\`validateResponses\` apply to all of them, and middleware added with \`client.use()\` sees
every call.

## Retries

A network failure or a ${defaultsText.retriedStatuses} answer is retried up to \`maxRetries\` times; no
other 4xx is. The wait is what the server asks for (\`retry-after-ms\`, else \`Retry-After\` in
seconds or as an HTTP date), else ${defaultsText.backoff}.
A wait that would not end before \`timeout\` is not slept: the answer comes back at once.

Which operations are retried by default, from the spec: where an operation declares
\`x-idempotent: true|false\`, that; else the methods HTTP calls idempotent (GET, HEAD, OPTIONS,
TRACE, PUT, DELETE), so a POST or PATCH is retried only where the spec says its repeat is safe.
An operation not retried by default still retries when a call passes \`maxRetries\`. The retried
column below gives each operation's rule and its reason.

${mswSection(api)}## Operations

${operationsTable(api)}

Types: \`<Operation>RequestBody\`, \`<Operation>Response\` and \`<Operation>Error\` for each
operation (e.g. ${mdCode(api.operations[0]?.types.response ?? "OperationResponse")}), \`Schemas\` for every schema of the spec, and
\`paths\`/\`operations\`/\`components\` as openapi-typescript emits them.
`;
}

export const readmeEmitter: Emitter = { name: "readme", files: (api) => ({ "README.md": emitReadme(api) }) };

/** The README section on the in-process mocks. */
function mswSection(api: ApiModel): string {
  return `## Mocks in your tests (MSW)

${mdCode(`${api.packageName}/msw`)} has [Mock Service Worker](https://mswjs.io) handlers made from the same spec
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

${mdCodeBlock(mswExample(api), "ts")}

`;
}
