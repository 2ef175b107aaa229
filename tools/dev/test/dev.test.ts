import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import { freePort, untilOutput } from "@contracts/cli";
import { fixtureRoot } from "@contracts/fixtures";
import {
  type Api,
  exampleCall,
  firstSchemeOf,
  listApis,
  loadSpec,
  operationsOf,
  repoRelative,
  repoRoot,
  requestSchemaOf,
  resolveRef,
} from "@contracts/spec";
import { execa, type ResultPromise } from "execa";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { commitAsMain } from "./repository.ts";

/**
 * A scratch repository (node_modules linked): the project's scripts, tools and client-core with the
 * fixture registry and specs, committed on `main` (the base of each save's contract impact), so that
 * editing specs and regenerating clients never touches the real tree, and the test never reads the
 * project's specs.
 */
async function scratchRepo(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "dev-test-"));
  const skip = /(^|\/)(node_modules|dist|\.turbo|\.reports|test)(\/|$)/;
  for (const entry of ["package.json", path.join("packages", "client-core"), "tools"]) {
    await cp(path.join(repoRoot, entry), path.join(root, entry), {
      recursive: true,
      filter: (source) => !skip.test(path.relative(repoRoot, source)),
    });
  }
  await cp(fixtureRoot, root, { recursive: true });
  await symlink(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  await commitAsMain(root);
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
  const { path, body } = exampleCall(document, operation!);
  const credentials = firstSchemeOf(document, operation!)!;
  return {
    method: operation!.method.toUpperCase(),
    path,
    headers: { "content-type": "application/json", [credentials.name]: `${credentials.prefix}test-key` },
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

/** `npm run dev` as a user starts it, on free ports; resolves once it says it is watching. */
async function runDev(root: string, served: Api[], onOutput: (text: string) => void) {
  const ports = Object.fromEntries(await Promise.all(served.map(async (api) => [api.id, await freePort()] as const)));
  const docsPort = await freePort();
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
const waiting: { from: number; pattern: RegExp; resolve: (printed: string) => void }[] = [];

/** Everything the dev loop prints goes here; a wait for a line ends when it appears. */
function onOutput(text: string): void {
  output += text;
  for (const wait of [...waiting]) {
    const match = wait.pattern.exec(output.slice(wait.from));
    if (match) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve(match[0]);
    }
  }
}

/** Resolves with the first text the dev loop prints from now on that matches `pattern`. */
function printed(pattern: RegExp): Promise<string> {
  return new Promise((resolve) => waiting.push({ from: output.length, pattern, resolve }));
}

async function call(api: Api, document = documents.get(api.id)!): Promise<Response> {
  const request = exampleRequest(document);
  return fetch(`http://127.0.0.1:${ports[api.id]}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
}

/** The line the dev loop prints once a save of the edited API is applied everywhere: mock, client and docs. */
const applied = () =>
  new RegExp(`${edited.id}: ${repoRelative(edited.specPath, root)} saved: lint ok, mock reloaded.*\n`);

/** Writes the edited API's spec; resolves with what the dev loop printed about it, once that matches `outcome`. */
async function save(text: string, outcome: RegExp): Promise<string> {
  const said = printed(outcome);
  await writeFile(edited.specPath, text);
  return said;
}

/** The edited API's spec as the fixture has it; put back, and applied, after the case whatever it wrote. */
async function originalSpec(): Promise<string> {
  const original = await readFile(edited.specPath, "utf8");
  onTestFinished(async () => {
    if ((await readFile(edited.specPath, "utf8")) !== original) await save(original, applied());
  });
  return original;
}

beforeAll(async () => {
  root = await scratchRepo();
  apis = await listApis(root);
  // The fixture registry's first API is the one edited: its success example has a plain string to edit.
  edited = apis[0]!;
  documents = new Map(await Promise.all(apis.map(async (api) => [api.id, await loadSpec(api)] as const)));
  ({ child: dev, ports, docsPort } = await runDev(root, apis, onOutput));
});

afterAll(async () => {
  dev?.kill("SIGTERM");
  await dev;
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

  it("a save reaches the mock, the client's doc comment and the docs page, while the other mocks keep answering", async () => {
    const original = await originalSpec();
    const before = firstStringOfSuccessExample(documents.get(edited.id)!);
    const [operation] = operationsOf(documents.get(edited.id)!);
    const summary = operation!.object.summary!;
    const changed = original
      .replaceAll(`: ${before}\n`, `: ${before} Edited\n`)
      .replace(`summary: ${summary}\n`, `summary: ${summary} (edited)\n`);
    expect(changed).not.toBe(original);

    // Every other API's mock is asked all through the save, to show a save of one never disturbs the others.
    const answers: { api: string; status: number; documented: number }[] = [];
    let saving = true;
    const asking = (async () => {
      while (saving) {
        for (const api of apis.filter((candidate) => candidate !== edited)) {
          const status = await call(api).then(
            (response) => response.status,
            () => 0,
          );
          answers.push({ api: api.id, status, documented: successStatus(documents.get(api.id)!) });
        }
        // Paced, not timed: a round every 100 ms leaves the machine to the rebuild.
        await setTimeout(100);
      }
    })();
    await save(changed, applied());
    saving = false;
    await asking;

    expect(await (await call(edited)).text()).toContain(`${before} Edited`);
    const client = path.join(root, "packages", "clients", edited.id, "src", "generated", "client.ts");
    expect(await readFile(client, "utf8")).toContain(
      `/** ${summary} (edited): \`${operation!.method.toUpperCase()} ${operation!.path}\``,
    );
    const page = await fetch(`http://127.0.0.1:${docsPort}/${edited.id}.html`).then((response) => response.text());
    expect(page).toContain(`${summary} (edited)`);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status !== answer.documented)).toEqual([]);
  });

  it("a broken save prints the located error and keeps the last good mock; the next good save recovers", async () => {
    const original = await originalSpec();
    const before = firstStringOfSuccessExample(documents.get(edited.id)!);
    const served = await (await call(edited)).text();
    const file = repoRelative(edited.specPath, root).replaceAll(".", "\\.");
    const said = await save(
      `${original}broken: [unclosed\n`,
      /not applied; still serving the last good mock, client and docs:\n.*\n/,
    );
    expect(said).toMatch(
      new RegExp(`not applied; still serving the last good mock, client and docs:\\n\\s+${file}:\\d+:\\d+`),
    );
    const response = await call(edited);
    expect(response.status).toBe(successStatus(documents.get(edited.id)!));
    expect(await response.text()).toBe(served);

    await save(original.replaceAll(`: ${before}\n`, `: ${before} Recovered\n`), applied());
    expect(await (await call(edited)).text()).toContain(`${before} Recovered`);
  });

  it("a save that tightens a request bound prints its contract impact: a major change, and the version it needs", async () => {
    const original = await originalSpec();
    const document = documents.get(edited.id)!;
    const [operation] = operationsOf(document);
    const schema = requestSchemaOf(document, operation!) as { properties?: Record<string, { maxLength?: number }> };
    const [field, { maxLength }] = Object.entries(schema.properties ?? {}).find(([, property]) => property.maxLength)!;
    const tightened = original.replaceAll(`maxLength: ${maxLength}\n`, `maxLength: ${maxLength! - 1}\n`);
    expect(tightened).not.toBe(original);
    const [summary, change] = (await save(tightened, new RegExp(`${edited.id}: 1 major.*\\n.*\\n`))).split("\n");
    const { version } = document.info;
    expect(summary).toContain(`since main, needs ${Number(version.split(".")[0]) + 1}.0.0 (info.version ${version})`);
    expect(change).toMatch(/^ {2}major {2}/);
    expect(change).toContain(`/properties/${field}/maxLength: `);
  });

  it("SIGTERM stops everything, exits 0 and frees the ports", async () => {
    const stopped = await runDev(root, [apis[0]!], () => {});
    stopped.child.kill("SIGTERM");
    const result = await stopped.child;
    expect(result.exitCode, result.all).toBe(0);
    await portsClosed([...Object.values(stopped.ports), stopped.docsPort]);
    expect(await processesMentioning(`--docs-port ${stopped.docsPort}`)).toEqual([]);
  });

  // npm passes no signal on when it dies: the dev loop notices its parent is gone. Every process of the
  // run writes to the pipe npm was given, so the child settles once the last one exits.
  it("stops everything when npm is killed", async () => {
    const killed = await runDev(root, [apis[0]!], () => {});
    killed.child.kill("SIGKILL");
    await killed.child;
    expect(await processesMentioning(`--docs-port ${killed.docsPort}`)).toEqual([]);
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
