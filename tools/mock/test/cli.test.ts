import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, untilOutput } from "@contracts/cli";
import { corpusRoot, fixtureRoot } from "@contracts/fixtures";
import { listApis, repoRelative, repoRoot } from "@contracts/spec";
import { execa, type ResultPromise } from "execa";
import { describe, expect, it, onTestFinished } from "vitest";
import { listening } from "./listening.ts";
import { exampleRequests, send } from "./specs.ts";

/** Command lines of every process on the machine that mentions `marker`. */
async function processesMentioning(marker: string): Promise<string[]> {
  const pids = (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry));
  const lines = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")));
  return lines.map((line) => line.replaceAll("\0", " ")).filter((line) => line.includes(marker));
}

const apis = await listApis(fixtureRoot);
const [first] = await exampleRequests();
const freePorts = async () =>
  Object.fromEntries(await Promise.all(apis.map(async (api) => [api.id, await freePort()] as const)));
const portArgs = (ports: Record<string, number>) => [
  "--root",
  fixtureRoot,
  ...Object.entries(ports).flatMap(([id, port]) => ["--port", `${id}=${port}`]),
];

/**
 * How a mock is started: through npm (what the signal cases test, since npm sits between the user and
 * the mock) or the CLI itself with node (the rest: one npm process less per case).
 */
const viaNpm = (...script: string[]) => ["npm", [...script, "--"]] as const;
const direct = [process.execPath, ["tools/mock/src/cli.ts"]] as const;
type Launch = typeof direct | ReturnType<typeof viaNpm>;

function mockCli([command, prefix]: Launch, args: string[]) {
  return execa(command, [...prefix, ...args], { cwd: repoRoot, all: true, reject: false });
}

/**
 * The mock as a user starts it, every API on a fresh port; resolves once it says it serves.
 * `ownGroup`: in a process group of its own, as a terminal's foreground job is.
 */
async function runMock(
  extraArgs: string[] = [],
  launch: Launch = viaNpm("run", "mock"),
  cwd = repoRoot,
  ownGroup = false,
) {
  const ports = await freePorts();
  const [command, prefix] = launch;
  const child: ResultPromise<{ all: true; reject: false }> = execa(
    command,
    [...prefix, ...portArgs(ports), ...extraArgs],
    { cwd, all: true, reject: false, detached: ownGroup },
  );
  const output = await untilOutput(child, "Serving requests");
  // Every process of this run has the first port on its command line, and nothing else does.
  return { child, ports, output, marker: `${first!.api.id}=${ports[first!.api.id]}` };
}

/**
 * A scratch npm project whose `start` script is the repository's own, with generate stubbed (it
 * reads the project's specs; what is tested is the chain of npm processes down to the mock).
 */
async function startProject(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "mock-start-"));
  const { scripts } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8"));
  const mock = `exec ${process.execPath} ${path.join(repoRoot, "tools", "mock", "src", "cli.ts")}`;
  const manifest = {
    name: "start-test",
    private: true,
    scripts: { start: scripts.start, generate: "exit 0", mock },
  };
  await writeFile(path.join(dir, "package.json"), JSON.stringify(manifest));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

describe("the mock CLI", () => {
  it("prints one line per API (its URL and how many operations) and the memory once every mock answers; exits 0 on SIGHUP", async () => {
    const mock = await runMock([], direct);
    const port = mock.ports[first!.api.id];
    const method = first!.operation.method.toUpperCase();
    const requests = await exampleRequests();
    for (const api of apis) {
      const operations = requests.filter((request) => request.api.id === api.id).length;
      expect(mock.output()).toMatch(
        new RegExp(`\\n${api.id}\\s+http://127\\.0\\.0\\.1:${mock.ports[api.id]}\\s+${operations}\\n`),
      );
    }
    expect(mock.output()).toMatch(
      new RegExp(
        `\\n${apis.length} APIs, ${requests.length} operations; one process, \\d+ MiB resident \\(shared by every mock: no figure per API\\)\\.\\nEvery operation with a path to call: --list\\.\\n`,
      ),
    );
    expect(mock.output()).not.toContain(first!.path);
    const answer = await send(`http://127.0.0.1:${port}`, { ...first!, credentials: {} });
    expect(answer.status).toBe(401);
    mock.child.kill("SIGHUP");
    expect((await mock.child).exitCode).toBe(0);
    expect(mock.output()).toMatch(new RegExp(`${method}\\s+${first!.path.replaceAll(".", "\\.")} -> 401`));
    expect(await processesMentioning(mock.marker)).toEqual([]);
  });

  it("with --list, prints every operation of each API with a path to call", async () => {
    const mock = await runMock(["--list"], direct);
    onTestFinished(async () => {
      mock.child.kill("SIGTERM");
      await mock.child;
    });
    const requests = await exampleRequests();
    for (const [index, request] of requests.entries()) {
      const { id } = request.api;
      const start =
        requests.findIndex((other) => other.api.id === id) === index
          ? `\\n${id}\\s+http://127\\.0\\.0\\.1:${mock.ports[id]}\\s+`
          : "";
      const method = request.operation.method.toUpperCase();
      expect(mock.output()).toMatch(new RegExp(`${start}${method}\\s+${request.path.replaceAll(".", "\\.")}\\n`));
    }
    expect(mock.output()).not.toContain("--list.");
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "stops every mock on %s to npm, exits 0 and leaves no process",
    async (signal) => {
      const mock = await runMock();
      mock.child.kill(signal);
      const result = await mock.child;
      expect(result.exitCode, result.all).toBe(0);
      for (const port of Object.values(mock.ports)) expect(await listening(port)).toBe(false);
      expect(await processesMentioning(mock.marker)).toEqual([]);
    },
  );

  // A closed terminal hangs up its foreground process group: npm and the mock under it. npm passes no
  // SIGHUP on and dies of it (the README: exit 129); the mock stops on its own SIGHUP. Every process of
  // the run writes to the pipe npm was given, so the child settles once the last one exits.
  it("on SIGHUP to its process group (a closed terminal), stops every mock; npm itself dies of SIGHUP", async () => {
    const mock = await runMock([], viaNpm("run", "mock"), repoRoot, true);
    process.kill(-mock.child.pid!, "SIGHUP");
    const result = await mock.child;
    expect(result.signal).toBe("SIGHUP");
    expect(mock.output()).toContain("SIGHUP: stopping the mocks.");
    expect(await processesMentioning(mock.marker)).toEqual([]);
    for (const port of Object.values(mock.ports)) expect(await listening(port)).toBe(false);
  });

  // npm passes no signal on when it is killed: the mocks notice their parent is gone.
  it("stops every mock when npm dies of SIGKILL", async () => {
    const mock = await runMock();
    mock.child.kill("SIGKILL");
    await mock.child;
    expect(await processesMentioning(mock.marker)).toEqual([]);
    for (const port of Object.values(mock.ports)) expect(await listening(port)).toBe(false);
  });

  it("stops every mock, and the npm that ran them, when the outer npm of npm start dies of SIGKILL", async () => {
    const project = await startProject();
    onTestFinished(project.remove);
    const mock = await runMock([], viaNpm("start"), project.dir);
    mock.child.kill("SIGKILL");
    await mock.child;
    expect(await processesMentioning(mock.marker)).toEqual([]);
    for (const port of Object.values(mock.ports)) expect(await listening(port)).toBe(false);
  });

  // Free ports only, every one of them: the default ones may be serving `npm start` right now.
  it("fails fast on a busy port, naming the API and the port, and leaves nothing running", async () => {
    const ports = await freePorts();
    const api = apis.at(-1)!;
    const blocker = createServer().listen(ports[api.id], "127.0.0.1");
    try {
      const result = await mockCli(direct, portArgs(ports));
      expect(result.exitCode).toBe(1);
      expect(result.all).toContain(
        `Mock of "${api.id}" (${repoRelative(api.specPath, fixtureRoot)}) could not start: port ${ports[api.id]} on 127.0.0.1 is already in use`,
      );
      expect(result.all).toContain(`--port ${api.id}=<port>`);
      expect(await processesMentioning(`${api.id}=${ports[api.id]}`)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  /**
   * A copy of the public corpus whose museum spec `$ref`s a Markdown file that is not there, as
   * Bump.sh's `x-topics` do (no spec the corpus keeps refers to another file).
   */
  async function corpusMissingAFile(): Promise<string> {
    const root = await mkdtemp(path.join(tmpdir(), "mock-cli-corpus-"));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    await cp(corpusRoot, root, { recursive: true });
    const spec = path.join(root, "museum", "openapi.yaml");
    const topic = "x-topics:\n  - title: Getting started\n    content:\n      $ref: ./docs/getting-started.md\n";
    await writeFile(spec, `${await readFile(spec, "utf8")}${topic}`);
    return root;
  }
  const notServed =
    'Mock of "museum" (museum/openapi.yaml) could not start: its spec cannot be served; fix it and run again:\n' +
    "    museum/openapi.yaml#/x-topics/0/content: the $ref ./docs/getting-started.md names museum/docs/getting-started.md, which cannot be read; add the file or correct the $ref";

  it("says under the table which API is not served, the place and the fix, and serves the others", async () => {
    const root = await corpusMissingAFile();
    const ports = { museum: await freePort(), tictactoe: await freePort() };
    const args = Object.entries(ports).flatMap(([id, port]) => ["--port", `${id}=${port}`]);
    const child = execa(process.execPath, ["tools/mock/src/cli.ts", "--root", root, ...Object.keys(ports), ...args], {
      cwd: repoRoot,
      all: true,
      reject: false,
    });
    onTestFinished(async () => {
      child.kill("SIGTERM");
      await child;
    });
    const output = await untilOutput(child, "Serving requests");
    expect(output()).toMatch(new RegExp(`tictactoe\\s+http://127\\.0\\.0\\.1:${ports.tictactoe}`));
    expect(output()).toContain(`Not served (the others are):\n  ${notServed}`);
    expect(await listening(ports.tictactoe)).toBe(true);
    expect(await listening(ports.museum)).toBe(false);
  });

  it("exits 1 with the cause when no API can serve", async () => {
    const root = await corpusMissingAFile();
    const result = await mockCli(direct, ["--root", root, "museum", "--port", `museum=${await freePort()}`]);
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain(notServed.replace("\n    ", "\n  "));
    expect(result.all).toContain("No mock was left running.");
  });

  it("prints the usage and exits 2 on an unknown flag, without a stack trace", async () => {
    const result = await mockCli(direct, ["--bogus"]);
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("Unknown option '--bogus'");
    expect(result.all).toContain("Usage: contracts-mock");
    expect(result.all).not.toMatch(/\n\s+at /);
  });

  it("rejects an unknown API id", async () => {
    const result = await mockCli(direct, ["--root", fixtureRoot, "blnd"]);
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain('Unknown API id "blnd"');
  });
});
