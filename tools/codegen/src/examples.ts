import { callExample } from "./calls.ts";
import type { ApiModel, OperationModel } from "./model.ts";
import { lineComment, templateText, tsKey, tsString } from "./print.ts";

// The examples the README shows, as code: the same text is compiled by the package's type check
// (test/readme-example.ts, test/refresh-example.ts, test/stream-example.ts, test/msw-example.ts), so a README example
// that stops compiling fails.

/** How the usage example makes its client: where the credentials come from, and a baseUrl where the spec has no server. */
function clientCreation(api: ApiModel): string {
  const baseUrl = api.server ? "" : `baseUrl: "https://api.example.com"`;
  const { credentials } = api;
  if (credentials.option === "none") return `const client = createClient(${baseUrl ? `{ ${baseUrl} }` : ""});`;
  if (credentials.option === "apiKey") {
    return `${lineComment(`The key comes from ${credentials.env}, or pass it: createClient({ apiKey: "..." }).`)}
const client = createClient(${baseUrl ? `{ ${baseUrl} }` : ""});`;
  }
  const [scheme] = credentials.schemes;
  const value = scheme!.kind === "basic" ? `{ username: "...", password: "..." }` : `"..."`;
  return `// Each scheme's credential comes from its environment variable (see Options), or pass it.
const client = createClient({ ${baseUrl ? `${baseUrl}, ` : ""}credentials: { ${tsKey(scheme!.schemeName)}: ${value} } });`;
}

/** The README's usage example. */
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
  console.error(${tsString(`${operation.name} refused:`)}, error); ${lineComment(`typed as the spec's ${refused} body`)}
`
}} else {
  console.error(\`${templateText(`${operation.name} failed with `)}\${status}:\`, error);
}`
    : "";
  return `import { createClient } from ${tsString(api.packageName)};

${clientCreation(api)}

${call}
`;
}

/**
 * The README's example of a credential that refreshes; undefined for an API without credentials.
 * The provider renews the key (for `credentials`, of a scheme the first operation can be sent with
 * alone, else the first scheme) from an endpoint of the caller's.
 */
export function refreshExample(api: ApiModel): string | undefined {
  const { credentials } = api;
  if (credentials.option === "none") return undefined;
  const [operation] = api.operations;
  // The scheme the example's call can be sent with alone, where there is one.
  const alone = operation?.security.find((requirement) => requirement.length === 1)?.[0];
  const scheme =
    credentials.option === "apiKey"
      ? undefined
      : (credentials.schemes.find(({ schemeName }) => schemeName === alone) ?? credentials.schemes[0]!);
  const basic = scheme?.kind === "basic";
  const provider = basic
    ? `let password = "...";
const login: CredentialProvider<BasicCredentials> = {
  current: () => ({ username: "...", password }),
  refresh: async () => {
    password = await (await fetch("https://vault.example.com/password")).text(); // yours: wherever it comes from
    return { username: "...", password };
  },
};`
    : `let key = "...";
const keys: CredentialProvider = {
  current: () => key,
  refresh: async () => {
    key = await (await fetch("https://auth.example.com/key")).text(); // yours: wherever a new key comes from
    return key;
  },
};`;
  const given = basic ? "login" : "keys";
  const options = [
    ...(api.server ? [] : [`baseUrl: "https://api.example.com"`]),
    scheme ? `credentials: { ${tsKey(scheme.schemeName)}: ${given} }` : `apiKey: ${given}`,
  ];
  // The call inside try, indented as the formatter indents it (the README shows the compiled file's text).
  const call = operation
    ? `
try {
  const { status } = await client.${operation.name}(${callExample(operation).replaceAll("\n", "\n  ")});
  if (status === 401) console.error("refused again with the refreshed credential");
} catch (failure) {
  if (failure instanceof CredentialRefreshError) console.error(\`no new \${failure.scheme} credential:\`, failure.cause);
}
`
    : "";
  const names = [
    "createClient",
    ...(basic ? ["type BasicCredentials"] : []),
    "type CredentialProvider",
    "CredentialRefreshError",
  ];
  return `${importStatement(names, api.packageName)}

${provider}
const client = createClient({ ${options.join(", ")} });
${call}`;
}

/**
 * The operation the README's stream example calls: the first whose answer is only an event stream and
 * which no other operation shares its method and path with (as a spec keys two by a `#fragment`: no
 * server and no mock can tell them apart), so that it streams as written from either mock; else the
 * first that streams.
 */
function streamExampleOperation(api: ApiModel): ApiModel["operations"][number] | undefined {
  const shared = (operation: ApiModel["operations"][number]) =>
    api.operations.some(
      (other) => other !== operation && other.method === operation.method && other.wire.path === operation.wire.path,
    );
  return (
    api.operations.find((operation) => operation.stream?.alone && !shared(operation)) ??
    api.operations.find(({ stream }) => stream)
  );
}

/** The README's example of reading an event stream (see `streamExampleOperation`); undefined for an API without one. */
export function streamExample(api: ApiModel): string | undefined {
  const operation = streamExampleOperation(api);
  if (operation === undefined) return undefined;
  const init = callExample(operation);
  const withSignal =
    init === "" ? "{ signal: controller.signal }" : init.replace(/\n}$/, "\n  signal: controller.signal,\n}");
  return `${importStatement(["createClient", "StreamEventError"], api.packageName)}

${clientCreation(api)}
const controller = new AbortController(); ${lineComment("controller.abort() ends the stream and frees its connection")}

const result = await client.${operation.name}(${withSignal});
if ("stream" in result) {
  try {
    ${lineComment("data: typed by the spec's event schema")}
    for await (const { data, event, id } of result.stream) console.log(event, id, data);
  } catch (failure) {
    ${lineComment("an event that breaks the spec")}
    if (failure instanceof StreamEventError) console.error(failure.message, failure.event);
    else throw failure;
  }
} else {
  console.error(\`${templateText(`${operation.name} failed with `)}\${result.status}:\`, result.error);
}
`;
}

/** The README's example of walking a list that pages: the first such operation's; undefined for an API without one. */
export function paginationExample(api: ApiModel): string | undefined {
  const operation = api.operations.find(({ pagination }) => pagination);
  if (operation === undefined) return undefined;
  const init = callExample(operation);
  const walk = `client.paginate.${operation.name}`;
  return `${importStatement(["createClient", "PaginationError"], api.packageName)}

${clientCreation(api)}
${init ? `const init = ${init};\n` : ""}const controller = new AbortController(); ${lineComment("controller.abort() stops the walk")}

try {
  ${lineComment("Every item of every page, each page fetched as the loop reaches it, to the last.")}
  for await (const item of ${walk}({ ${init ? "...init, " : ""}signal: controller.signal })) console.log(item);
  ${lineComment(`Or page by page: each page's result, as client.${operation.name}() gives it.`)}
  for await (const page of ${walk}(${init ? "init" : ""}).pages()) console.log(page.status, page.data);
} catch (failure) {
  ${lineComment("A cursor or next link the API gave twice, or an error answer while iterating items.")}
  if (failure instanceof PaginationError) console.error(failure.message, failure.cause);
  else throw failure;
}
`;
}

/** An import as the formatter writes it: on one line where it fits in 120 columns, else a name a line. */
function importStatement(names: string[], from: string): string {
  const line = `import { ${names.join(", ")} } from ${tsString(from)};`;
  return line.length <= 120
    ? line
    : `import {\n${names.map((name) => `  ${name},\n`).join("")}} from ${tsString(from)};`;
}

/** How the mocks example makes its client: credentials the mock accepts, and a baseUrl where the spec has no server. */
function mockedClient(api: ApiModel): string {
  const options: string[] = [];
  const { credentials } = api;
  if (credentials.option === "apiKey") options.push(`apiKey: "test-key"`);
  if (credentials.option === "credentials") {
    const [scheme] = credentials.schemes;
    const value = scheme!.kind === "basic" ? `{ username: "test", password: "test" }` : `"test-key"`;
    options.push(`credentials: { ${tsKey(scheme!.schemeName)}: ${value} }`);
  }
  if (!api.server) options.push(`baseUrl: "https://api.example.com"`);
  return `createClient(${options.length > 0 ? `{ ${options.join(", ")} }` : ""})`;
}

/** The override the example shows: another status's named example, else another status, else the only one; undefined without any. */
function exampleOverride(operation: OperationModel): string | undefined {
  const [first, ...others] = operation.statuses;
  const named = others.find(({ examples }) => examples.length > 0);
  if (named) return `{ example: ${tsString(named.examples[0]!)} }`;
  const status = others[0] ?? first;
  return status && `{ status: ${status.status} }`;
}

/** The README's mocks example. */
export function mswExample(api: ApiModel): string {
  const [operation] = api.operations;
  // A spec of webhooks alone has no operation to call: the handlers are set up, and none answer.
  const call = operation
    ? `// The spec's example answer; a request the spec refuses gets its documented error, naming the violations.
const first = await client.${operation.name}(${callExample(operation)});
console.log(first.status, first.data);
`
    : "";
  const overridden = api.operations.find((candidate) => exampleOverride(candidate) !== undefined);
  const override = overridden
    ? `
// This test's answer: a documented status, a named example, or { status, body } with a body of that status's type.
server.use(override(${tsString(overridden.name)}, ${exampleOverride(overridden)}));
const second = await client.${overridden.name}(${callExample(overridden)});
console.log(second.status, second.error ?? second.data);
`
    : "";
  return `import { createClient } from ${tsString(api.packageName)};
import { handlers${overridden ? ", override" : ""} } from ${tsString(`${api.packageName}/msw`)};
import { setupServer } from "msw/node";

const server = setupServer(...handlers);
server.listen({ onUnhandledFrame: "error" });

const client = ${mockedClient(api)};
${call}${override}
server.resetHandlers();
server.close();
`;
}
