import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, untilOutput } from "@contracts/cli";
import { repoRoot } from "@contracts/spec";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cli = path.join(import.meta.dirname, "..", "src", "cli.ts");
const withoutToken = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "TURBO_TOKEN"));

async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/v8/artifacts/status`).then(
    (response) => response.ok,
    () => false,
  );
}

/** Starts the CLI (directly, or as a user does through npm) and resolves once it says it serves. */
async function serve(command: string, args: string[], env: Record<string, string> = {}) {
  const child = execa(command, args, {
    cwd: repoRoot,
    env,
    all: true,
    reject: false,
  });
  const output = await untilOutput(child, "Serving the cache");
  return { child, output };
}

describe("npm run cache-server", () => {
  let storage: string;
  beforeAll(async () => {
    storage = await mkdtemp(path.join(tmpdir(), "cache-server-cli-"));
  });
  afterAll(() => rm(storage, { recursive: true, force: true }));

  it("takes its token from TURBO_TOKEN, says how to point a clone at it, and stops on SIGTERM with exit 0", async () => {
    const port = await freePort();
    const server = await serve(process.execPath, [cli, "--port", String(port), "--storage", storage], {
      TURBO_TOKEN: "from-env",
    });
    expect(server.output()).toContain(`turbo remote cache ready at http://127.0.0.1:${port} (artifacts in ${storage})`);
    expect(server.output()).toContain(`export TURBO_API=http://127.0.0.1:${port}`);
    expect(server.output()).toMatch(/export TURBO_TOKEN=.*\n\s+export TURBO_TEAM=\S+/);
    const artifact = (bearer: string) =>
      fetch(`http://127.0.0.1:${port}/v8/artifacts/0123abcd?slug=t`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    expect((await artifact("from-env")).status).toBe(404);
    expect((await artifact("other")).status).toBe(401);
    server.child.kill("SIGTERM");
    expect((await server.child).exitCode).toBe(0);
    expect(await answers(port)).toBe(false);
  });

  // npm passes no signal on when it is killed: the server notices its parent is gone. It writes to
  // the pipe npm was given, so the child settles once the server has exited.
  it("stops when npm dies of SIGKILL", async () => {
    const port = await freePort();
    const server = await serve("npm", [
      "run",
      "cache-server",
      "--",
      "--port",
      String(port),
      "--storage",
      storage,
      "--token",
      "t",
    ]);
    server.child.kill("SIGKILL");
    await server.child;
    expect(await answers(port)).toBe(false);
  });

  it("refuses to start without a token, saying how to give one", async () => {
    const result = await execa(process.execPath, [cli, "--port", String(await freePort()), "--storage", storage], {
      env: withoutToken,
      extendEnv: false,
      all: true,
      reject: false,
    });
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain("Pass --token <secret> or set TURBO_TOKEN");
  });

  it("fails fast on a busy port, naming it, and leaves nothing running", async () => {
    const busy = await freePort();
    const blocker = createServer().listen(busy, "127.0.0.1");
    try {
      const result = await execa(
        process.execPath,
        [cli, "--port", String(busy), "--storage", storage, "--token", "t"],
        { all: true, reject: false },
      );
      expect(result.exitCode).toBe(1);
      expect(result.all).toContain(`port ${busy} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it("prints the usage and exits 2 on an unknown flag", async () => {
    const result = await execa(process.execPath, [cli, "--prot", "4020"], { all: true, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("Unknown option '--prot'");
    expect(result.all).toContain("Usage: contracts-cache-server");
  });
});
