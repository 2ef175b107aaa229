import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@contracts/cli";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CacheServer, startCacheServer } from "../src/index.ts";

const token = "test-token";
const team = "contracts";

/** A one-package turbo workspace whose build writes an output file, committed so turbo hashes it as in a clone. */
async function scratchWorkspace(directory: string): Promise<void> {
  const write = async (file: string, value: unknown) => {
    await mkdir(path.dirname(path.join(directory, file)), { recursive: true });
    await writeFile(path.join(directory, file), JSON.stringify(value, null, 2));
  };
  await write("package.json", {
    name: "scratch",
    private: true,
    packageManager: "npm@11.19.1",
    workspaces: ["packages/*"],
  });
  await write("turbo.json", { tasks: { build: { outputs: ["out.txt"] } } });
  await write("packages/hello/package.json", {
    name: "hello",
    version: "0.0.0",
    scripts: { build: "node -e \"require('fs').writeFileSync('out.txt', 'built')\"" },
  });
  const git = (...args: string[]) =>
    execa("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", ...args], { cwd: directory });
  await git("init", "-q");
  await git("add", "-A");
  await git("commit", "-qm", "scratch");
}

/** `turbo run build` in `directory` against the server, the local cache off, none of the caller's TURBO_* settings. */
async function turboBuild(directory: string, api: string, clientToken: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TURBO_")));
  const result = await execa("turbo", ["run", "build", "--cache=remote:rw"], {
    cwd: directory,
    preferLocal: true,
    extendEnv: false,
    env: {
      ...env,
      TURBO_API: api,
      TURBO_TOKEN: clientToken,
      TURBO_TEAM: team,
      TURBO_TELEMETRY_DISABLED: "1",
      TURBO_NO_UPDATE_NOTIFIER: "1",
    },
    all: true,
  });
  return result.all;
}

describe("the cache server serves turbo", () => {
  let scratch: string;
  let storage: string;
  let server: CacheServer;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "cache-server-test-"));
    storage = path.join(scratch, "storage");
    await scratchWorkspace(path.join(scratch, "template"));
    server = await startCacheServer({ token, storage, port: await freePort() });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  /** A fresh copy of the workspace, as a new clone would be: no .turbo, no outputs. */
  async function freshClone(name: string): Promise<string> {
    const directory = path.join(scratch, name);
    await cp(path.join(scratch, "template"), directory, { recursive: true });
    return directory;
  }

  it("replays a task another clone ran, outputs included, from the server alone", async () => {
    const first = await freshClone("first");
    expect(await turboBuild(first, server.url, token)).toContain("hello:build: cache miss, executing");
    expect(await readdir(path.join(storage, team))).toHaveLength(1);

    const second = await freshClone("second");
    const output = await turboBuild(second, server.url, token);
    expect(output).toContain("hello:build: cache hit, replaying logs");
    expect(output).toContain("FULL TURBO");
    expect(await readFile(path.join(second, "packages", "hello", "out.txt"), "utf8")).toBe("built");
  });

  // turbo treats a refused token as a miss and rebuilds without failing: only the log tells.
  it("gives a clone with a wrong token no hit where the right token hits", async () => {
    await turboBuild(await freshClone("filled"), server.url, token);

    const intruder = await freshClone("intruder");
    const refused = await turboBuild(intruder, server.url, "wrong-token");
    expect(refused).toContain("hello:build: cache miss, executing");
    expect(refused).toContain("401 Unauthorized");

    expect(await turboBuild(await freshClone("member"), server.url, token)).toContain(
      "hello:build: cache hit, replaying logs",
    );
  });
});
