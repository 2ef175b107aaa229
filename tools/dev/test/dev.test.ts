import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  type Api,
  exampleCall,
  listApis,
  loadSpec,
  operationsOf,
  repoRelative,
  repoRoot,
  resolveRef,
} from "@contracts/spec";
import { fixtureRoot } from "@contracts/testkit/fixtures";
import { untilOutput } from "@contracts/testkit/processes";
import { execa, type ResultPromise } from "execa";
import getPort from "get-port";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A scratch repository (node_modules linked): the project's scripts, tools and client-core manifest with
 * the fixture registry and specs, so that editing specs and regenerating clients never touches the real
 * tree, and the test never reads the project's specs.
 */
async function scratchRepo(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "dev-test-"));
  const skip = /(^|\/)(node_modules|dist|\.turbo|\.reports)(\/|$)/;
  for (const entry of ["package.json", path.join("packages", "client-core", "package.json"), "tools"]) {
    await cp(path.join(repoRoot, entry), path.join(root, entry), {
      recursive: true,
      filter: (source) => !skip.test(path.relative(repoRoot, source)),
    });
  }
  await cp(fixtureRoot, root, { recursive: true });
  await symlink(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  return root;
}

/** The status of the first operation's documented success: what the mock answers its example call with. */
function successStatus(document: OpenAPI3): number {
  const [operation] = operationsOf(document);
  return Number(Object.keys(operation!.object.responses!).find((status) => status.startsWith("2")));
}

/** Command lines of every process on the machine that mentions `marker`. */
async function processesMentioning(marker: string): Promise<string[]> {
  const pids = (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry));
  const lines = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")));
  return lines.map((line) => line.replaceAll("\0", " ")).filter((line) => line.includes(marker));
}

/** The example call of an API's first operation, with credentials its security scheme accepts. */
function exampleRequest(document: OpenAPI3): {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
} {
  const [operation] = operationsOf(document);
  const { pathParameters, body } = exampleCall(document, operation!);
  const [scheme] = Object.values(document.components?.securitySchemes ?? {}).map((value) =>
    resolveRef(document, value),
  );
  const credentials: Record<string, string> =
    scheme?.type === "apiKey" ? { [scheme.name]: "test-key" } : { authorization: "Bearer test-key" };
  const filled = Object.entries(pathParameters).reduce(
    (template, [name, value]) => template.replace(`{${name}}`, encodeURIComponent(value)),
    operation!.path,
  );
  return {
    method: operation!.method.toUpperCase(),
    path: filled,
    headers: { "content-type": "application/json", ...credentials },
    body: JSON.stringify(body),
  };
}

/** The first string in the first example of the operation's success response: what the mock answers with. */
function firstStringOfSuccessExample(document: OpenAPI3): string {
  const [operation] = operationsOf(document);
  const response = resolveRef(document, operation!.object.responses![String(successStatus(document))]!);
  const media = resolveRef(document, response.content!["application/json"]!);
  const [example] = Object.values(media.examples ?? {}).map((value) => resolveRef(document, value).value);
  const strings: string[] = [];
  JSON.stringify(example, (_key, value: unknown) => {
    if (typeof value === "string" && /^[A-Za-z][A-Za-z ]+$/.test(value)) strings.push(value);
    return value;
  });
  if (!strings[0]) throw new Error("the success example has no plain string to edit");
  return strings[0];
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const text = await readFile(file, "utf8");
  const changed = change(text);
  expect(changed, `the edit of ${file} must change it`).not.toBe(text);
  await writeFile(file, changed);
}

/** `npm run dev` as a user starts it, on free ports; resolves once it says it is watching. */
async function runDev(root: string, served: Api[], onOutput: (text: string) => void) {
  const ports = Object.fromEntries(await Promise.all(served.map(async (api) => [api.id, await getPort()] as const)));
  const docsPort = await getPort();
  const portArgs = Object.entries(ports).flatMap(([id, port]) => ["--port", `${id}=${port}`]);
  const child: ResultPromise<{ all: true; reject: false }> = execa(
    "npm",
    ["run", "dev", "--", ...served.map((api) => api.id), ...portArgs, "--docs-port", String(docsPort)],
    { cwd: root, all: true, reject: false },
  );
  await untilOutput(child, "Ctrl-C to stop", onOutput);
  return { child, ports, docsPort };
}

async function portsClosed(ports: number[]): Promise<void> {
  for (const port of ports) await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
}

let root: string;
let apis: Api[];
let edited: Api;
let documents: Map<string, OpenAPI3>;
let ports: Record<string, number>;
let docsPort: number;
let dev: ResultPromise<{ all: true; reject: false }>;
let output = "";
const answers: { api: string; status: number; documented: number }[] = [];
let watching = true;

async function call(api: Api, document = documents.get(api.id)!): Promise<Response> {
  const request = exampleRequest(document);
  return fetch(`http://127.0.0.1:${ports[api.id]}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
}

beforeAll(async () => {
  root = await scratchRepo();
  apis = await listApis(root);
  // The fixture registry's first API is the one edited: its success example has a plain string to edit.
  edited = apis[0]!;
  documents = new Map(await Promise.all(apis.map(async (api) => [api.id, await loadSpec(api)] as const)));
  ({ child: dev, ports, docsPort } = await runDev(root, apis, (text) => (output += text)));
  // Every other API's mock is asked all along, to show a save of one never disturbs the others.
  void (async () => {
    while (watching) {
      for (const api of apis.filter((candidate) => candidate !== edited)) {
        answers.push({
          api: api.id,
          status: await call(api).then(
            (response) => response.status,
            () => 0,
          ),
          documented: successStatus(documents.get(api.id)!),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
});

afterAll(async () => {
  watching = false;
  dev?.kill("SIGKILL");
  if (root) await rm(root, { recursive: true, force: true });
});

describe("npm run dev", () => {
  it("serves the docs index and every mock", async () => {
    const index = await fetch(`http://127.0.0.1:${docsPort}/index.html`).then((response) => response.text());
    for (const api of apis) {
      expect(index).toContain(`href="${api.id}.html"`);
      expect((await call(api)).status).toBe(successStatus(documents.get(api.id)!));
    }
  });

  it("a save of the success example reaches the mock, and a summary edit reaches the client's doc comment", async () => {
    const spec = edited.specPath;
    const before = firstStringOfSuccessExample(documents.get(edited.id)!);
    const [operation] = operationsOf(documents.get(edited.id)!);
    const summary = operation!.object.summary!;
    await edit(spec, (text) =>
      text
        .replaceAll(`: ${before}\n`, `: ${before} Edited\n`)
        .replace(`summary: ${summary}\n`, `summary: ${summary} (edited)\n`),
    );
    await expect
      .poll(async () => (await call(edited)).text(), { timeout: 30_000, interval: 100 })
      .toContain(`${before} Edited`);
    const client = path.join(root, "packages", "clients", edited.id, "src", "generated", "client.ts");
    await expect
      .poll(() => readFile(client, "utf8"), { timeout: 30_000 })
      .toContain(`/** ${summary} (edited): \`${operation!.method.toUpperCase()} ${operation!.path}\``);
    await expect
      .poll(() => output, { timeout: 30_000 })
      .toMatch(new RegExp(`${edited.id}: ${repoRelative(spec, root)} saved: lint ok, mock reloaded`));
  });

  it("a broken save prints the located error and keeps the last good mock; the next good save recovers", async () => {
    const spec = edited.specPath;
    const good = await readFile(spec, "utf8");
    const served = await (await call(edited)).text();
    await writeFile(spec, `${good}broken: [unclosed\n`);
    const located = new RegExp(`${repoRelative(spec, root).replaceAll(".", "\\.")}:(\\d+):\\d+`);
    await expect
      .poll(() => output, { timeout: 30_000 })
      .toMatch(new RegExp(`not applied; still serving the last good mock, client and docs:\\n\\s+${located.source}`));
    const response = await call(edited);
    expect(response.status).toBe(successStatus(documents.get(edited.id)!));
    expect(await response.text()).toBe(served);

    await writeFile(spec, good.replaceAll(" Edited\n", " Recovered\n"));
    await expect
      .poll(async () => (await call(edited)).text(), { timeout: 30_000, interval: 100 })
      .toContain("Recovered");
  });

  it("the other mocks kept answering throughout", () => {
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status !== answer.documented)).toEqual([]);
  });

  it("SIGTERM stops everything, exits 0 and frees the ports", async () => {
    watching = false;
    dev.kill("SIGTERM");
    const result = await dev;
    expect(result.exitCode, result.all).toBe(0);
    await portsClosed([...Object.values(ports), docsPort]);
    expect(await processesMentioning(`--docs-port ${docsPort}`)).toEqual([]);
  });

  // npm passes no signal on when it dies: the dev loop notices its parent is gone.
  // One API is enough here and keeps the start-up short.
  it("stops everything when npm is killed", async () => {
    const killed = await runDev(root, [apis[0]!], () => {});
    killed.child.kill("SIGKILL");
    await killed.child;
    await expect.poll(() => processesMentioning(`--docs-port ${killed.docsPort}`), { timeout: 15_000 }).toEqual([]);
    await portsClosed([...Object.values(killed.ports), killed.docsPort]);
  });
});

describe("npm run dev flags", () => {
  it("prints the usage and exits 2 on an unknown flag", async () => {
    const result = await execa("npm", ["run", "dev", "--", "--watch"], { cwd: repoRoot, all: true, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("Usage: contracts-dev");
  });
});
