import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import getPort from "get-port";
import { execa, type ResultPromise } from "execa";
import { describe, expect, it } from "vitest";
import { listening } from "./listening.ts";
import { repoRoot } from "@contracts/registry";

/** Command lines of every process on the machine that mentions `marker`. */
async function processesMentioning(marker: string): Promise<string[]> {
  const pids = (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry));
  const lines = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")));
  return lines.map((line) => line.replaceAll("\0", " ")).filter((line) => line.includes(marker));
}

/** `npm run mock` as a user starts it, on fresh ports; resolves once it says it serves. */
async function runMock(extraArgs: string[] = []) {
  const ports = { "pipecat-cloud": await getPort(), bland: await getPort(), frontier: await getPort() };
  const portArgs = Object.entries(ports).flatMap(([id, port]) => ["--port", `${id}=${port}`]);
  const child: ResultPromise<{ all: true; reject: false }> = execa("npm", ["run", "mock", "--", ...portArgs, ...extraArgs], { cwd: repoRoot, all: true, reject: false });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.all.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Serving requests")) resolve();
    });
    void child.then(() => reject(new Error(`npm run mock exited early:\n${output}`)));
  });
  return { child, ports, output: () => output, marker: `bland=${ports.bland}` };
}

// Each case starts real processes through npm: seconds, not milliseconds.
describe("npm run mock", { timeout: 30_000 }, () => {
  it("prints one table of API, URL and operations once every mock answers", async () => {
    const mock = await runMock();
    expect(mock.output()).toMatch(new RegExp(`bland\\s+http://127\\.0\\.0\\.1:${mock.ports.bland}\\s+PATCH\\s+/v1/orgs/d122b4cf-1614-4124-aa28-15f81a09988f/properties`));
    const answer = await fetch(`http://127.0.0.1:${mock.ports["pipecat-cloud"]}/properties`, { method: "PATCH", headers: { "content-type": "application/json" }, body: "{}" });
    expect(answer.status).toBe(401);
    mock.child.kill("SIGTERM");
    await mock.child;
    expect(mock.output()).toMatch(/pipecat-cloud\s+PATCH\s+\/properties -> 401/);
    expect(await processesMentioning(mock.marker)).toEqual([]);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("stops every mock on %s to npm, exits 0 and leaves no process", async (signal) => {
    const mock = await runMock();
    mock.child.kill(signal);
    const result = await mock.child;
    expect(result.exitCode, result.all).toBe(0);
    for (const port of Object.values(mock.ports)) expect(await listening(port)).toBe(false);
    expect(await processesMentioning(mock.marker)).toEqual([]);
  });

  // npm passes neither on to its script: it dies, and the mocks notice their parent is gone.
  it.each(["SIGHUP", "SIGKILL"] as const)("stops every mock when npm dies of %s", async (signal) => {
    const mock = await runMock();
    mock.child.kill(signal);
    await mock.child;
    await expect.poll(() => processesMentioning(mock.marker), { timeout: 5000 }).toEqual([]);
    for (const port of Object.values(mock.ports)) expect(await listening(port)).toBe(false);
  });

  it("fails fast on a busy port, naming the API and the port, and leaves nothing running", async () => {
    const busy = await getPort();
    const blocker = createServer().listen(busy, "127.0.0.1");
    try {
      const result = await execa("npm", ["run", "mock", "--", "--port", `bland=${busy}`], { cwd: repoRoot, all: true, reject: false, timeout: 20_000 });
      expect(result.exitCode).toBe(1);
      expect(result.all).toContain(`Mock of "bland" (specs/bland.yaml) could not start: port ${busy} on 127.0.0.1 is already in use`);
      expect(result.all).toContain(`--port bland=<port>`);
      expect(await processesMentioning(`bland=${busy}`)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it("rejects an unknown API id", async () => {
    const result = await execa("npm", ["run", "mock", "--", "blnd"], { cwd: repoRoot, all: true, reject: false, timeout: 20_000 });
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain('Unknown API id "blnd"');
  });
});
