import { pascalCase, type ApiModel, type OperationModel } from "../model.ts";
import { doNotEditNote } from "./header.ts";
import { tsLiteral } from "./literal.ts";

function callExample(operation: OperationModel): string {
  const init: string[] = [];
  if (Object.keys(operation.pathParameters).length > 0) init.push(`  params: { path: ${tsLiteral(operation.pathParameters)} },`);
  if (operation.requestExample !== undefined) init.push(`  body: ${tsLiteral(operation.requestExample, "  ")},`);
  return init.length > 0 ? `{\n${init.join("\n")}\n}` : "";
}

/** The README's usage example; the same text is compiled by the package's type tests. */
export function usageExample(api: ApiModel): string {
  const [operation] = api.operations;
  const call = operation ? `const { data, error } = await client.${operation.id}(${callExample(operation)});
if (error) {
  console.error("${operation.id} failed:", error);
} else {
  console.log(data);
}` : "";
  return `import { createClient } from "${api.packageName}";

// The key comes from ${api.apiKeyEnv}, or pass it: createClient({ apiKey: "..." }).
const client = createClient();

${call}
`;
}

function operationRow(operation: OperationModel): string {
  return `| \`client.${operation.id}()\` | \`${operation.method.toUpperCase()} ${operation.path}\` | ${operation.summary} |`;
}

/** `README.md` of the client package. */
export function emitReadme(api: ApiModel): string {
  const scheme = api.auth.prefix ? `\`${api.auth.header}: ${api.auth.prefix}<key>\`` : `\`${api.auth.header}: <key>\` (the raw key, no prefix)`;
  return `<!-- ${doNotEditNote(api)} -->
# ${api.packageName}

Typed client for **${api.title}**, generated from [\`${api.specFile}\`](../../../${api.specFile}) with
[openapi-typescript](https://openapi-ts.dev) and [openapi-fetch](https://openapi-ts.dev/openapi-fetch/).
Runs on Node 18+ and in browsers; ESM only.

## Usage

\`\`\`ts
${usageExample(api)}\`\`\`

Every method returns openapi-fetch's \`{ data, error, response }\`: \`data\` is the typed success
body, \`error\` the typed error body of a documented error status. A body that is not JSON (a
proxy's HTML 502, say) arrives as its text in \`error\`, so check \`response.status\` before
trusting its shape. A network failure rejects the promise with the cause.

## Options

| option | default |
| --- | --- |
| \`apiKey\` | the \`${api.apiKeyEnv}\` environment variable; \`null\` sends no credentials |
| \`baseUrl\` | \`${api.defaultBaseUrl}\`${api.serverDescription ? ` (${api.serverDescription})` : ""} |
| \`fetch\` | \`globalThis.fetch\` |
| \`headers\` | none: headers sent with every request |

The key is sent as ${scheme}, and only to \`baseUrl\`.

## Operations

| method | endpoint | summary |
| --- | --- | --- |
${api.operations.map(operationRow).join("\n")}

Types: \`<Operation>RequestBody\`, \`<Operation>Response\` and \`<Operation>Error\` for each
operation (e.g. \`${pascalCase(api.operations[0]?.id ?? "operation")}Response\`), \`Schemas\` for every schema of the spec, and
\`paths\`/\`operations\`/\`components\` as openapi-typescript emits them.
`;
}
