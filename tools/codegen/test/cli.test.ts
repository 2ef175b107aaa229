import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

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

// Each case starts Node on the CLI, which loads the generator (openapi-typescript, TypeScript): seconds under load.
describe("the codegen CLI", { timeout: 30_000 }, () => {
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
