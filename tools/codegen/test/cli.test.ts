import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { removeLeftoverStaging } from "../src/files.ts";

const cli = path.join(import.meta.dirname, "..", "src", "cli.ts");

async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("the codegen CLI", () => {
  it.each([["--bogus"], ["--check", "--bogus=1"], ["-x"]])(
    "names the unknown flag in %s, prints the usage and exits 2",
    async (...args) => {
      const { code, stderr } = await runCli(...args);
      expect(code).toBe(2);
      const flag = args.at(-1)!.replace(/=.*/, "");
      expect(stderr).toContain(`'${flag}'`);
      expect(stderr).toContain("Usage: contracts-codegen");
      expect(stderr).not.toMatch(/^\s+at /m);
    },
  );

  it("prints the usage for --help and exits 0", async () => {
    const { code, stdout } = await runCli("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: contracts-codegen");
  });
});

describe("removeLeftoverStaging", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("removes and names the staged files of a run that died, and keeps those of a live one", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "codegen-leftovers-"));
    dirs.push(dir);
    const generated = path.join(dir, "bland", "src", "generated");
    await mkdir(generated, { recursive: true });
    // A run that staged a file and ended before renaming it, as a killed generate does.
    const stage = `require("node:fs").writeFileSync(process.argv[1] + "." + process.pid + ".tmp", "partial")`;
    await promisify(execFile)(process.execPath, ["-e", stage, path.join(generated, "schema.ts")]);
    const live = path.join(generated, `client.ts.${process.pid}.tmp`);
    await writeFile(live, "a run still going");
    const [leftover, ...others] = await removeLeftoverStaging(dir);
    expect(others).toEqual([]);
    expect(leftover).toMatch(/schema\.ts\.\d+\.tmp$/);
    expect(existsSync(leftover!)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it("finds nothing in a folder that does not exist yet", async () => {
    expect(await removeLeftoverStaging(path.join(tmpdir(), "no-such-folder-for-codegen"))).toEqual([]);
  });
});
