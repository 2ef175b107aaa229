import { execFile } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { clientPackageDir, listApis, repoRelative } from "@contracts/spec";
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

/** Every file of a package, by its path in it. */
async function packageContents(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  return Object.fromEntries(
    await Promise.all(files.map(async (file) => [path.relative(dir, file), await readFile(file, "utf8")] as const)),
  );
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const text = await readFile(file, "utf8");
  const changed = change(text);
  expect(changed, `the edit of ${file} must change it`).not.toBe(text);
  await writeFile(file, changed);
}

// Isolation: one API whose spec cannot be generated must not stop the others, and every such API is named.
describe("npm run generate with two broken specs and one edited", () => {
  it("regenerates the edited API, leaves the broken ones' packages as they were, names both with their places and exits 1", async () => {
    const root = await fixtureWorkspace("codegen-isolation-");
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const npm = (...args: string[]) => execa("npm", ["run", ...args], { cwd: root, all: true, reject: false });
    expect((await npm("generate")).exitCode).toBe(0);
    const spec = (id: string) => path.join(root, "specs", `${id}.yaml`);
    const packageOf = (id: string) => clientPackageDir({ id, root });
    const before = {
      widgets: await packageContents(packageOf("widgets")),
      gadgets: await packageContents(packageOf("gadgets")),
    };
    await edit(spec("gizmos"), (text) => text.replace("summary: Add a part", "summary: Attach a part"));
    await edit(spec("widgets"), (text) => text.replace("paths:\n", "paths:\n  - [\n"));
    await edit(spec("gadgets"), (text) => text.replace(/#\/components\/schemas\/\w+/, "#/components/schemas/Missing"));
    const located = [/specs\/widgets\.yaml:\d+:\d+ /, /specs\/gadgets\.yaml:\d+:\d+ Can't resolve \$ref/];

    const check = await npm("check");
    expect(check.exitCode, check.all).toBe(1);
    expect(check.all).toContain("packages/clients/gizmos/README.md (differs from its spec)");
    expect(check.all).toContain("Not checked: widgets, gadgets");
    for (const place of located) expect(check.all).toMatch(place);

    const generated = await npm("generate");
    expect(generated.exitCode, generated.all).toBe(1);
    expect(generated.all).toContain("wrote packages/clients/gizmos/README.md");
    expect(generated.all).toContain("Not generated: widgets, gadgets (their packages are unchanged).");
    for (const place of located) expect(generated.all).toMatch(place);
    expect(await readFile(path.join(packageOf("gizmos"), "README.md"), "utf8")).toContain("Attach a part");
    expect(await packageContents(packageOf("widgets"))).toEqual(before.widgets);
    expect(await packageContents(packageOf("gadgets"))).toEqual(before.gadgets);
  });
});
