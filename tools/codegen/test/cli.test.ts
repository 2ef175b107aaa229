import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { listApis, repoRelative } from "@contracts/spec";
import { fixtureWorkspace } from "@contracts/testkit/workspace";
import { execa } from "execa";
import { describe, expect, it, onTestFinished } from "vitest";

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

// The whole chain a user runs, in a copy of the repository with the fixture registry: npm, the
// generate script, the CLI. A spec that is refused stops it before the mocks.
describe("npm start with a spec the lint rules refuse", () => {
  it("ends its output with the located problem and its rule, then exits 1", async () => {
    const root = await fixtureWorkspace("codegen-start-");
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const [api] = await listApis(root);
    const spec = await readFile(api!.specPath, "utf8");
    const withoutOperationId = spec.replace(/^\s+operationId: .*\n/m, "");
    expect(withoutOperationId).not.toBe(spec);
    await writeFile(api!.specPath, withoutOperationId);
    const result = await execa("npm", ["start"], { cwd: root, all: true, reject: false });
    expect(result.exitCode, result.all).toBe(1);
    const file = repoRelative(api!.specPath, root).replaceAll(".", "\\.");
    expect(result.all.trimEnd().split("\n").at(-1)).toMatch(
      new RegExp(`^  ${file}:\\d+:\\d+ .*\\(rule operation-operationId, at #/paths/`),
    );
  });
});
