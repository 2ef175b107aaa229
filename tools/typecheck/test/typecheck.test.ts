import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execaNode } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatDiagnostics, typecheckProjects, workspaceProjects } from "../src/index.ts";

let root: string;

/** Writes the files of a scratch workspace: paths relative to its root, objects as JSON. */
async function files(entries: Record<string, string | object>): Promise<void> {
  for (const [file, content] of Object.entries(entries)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), typeof content === "string" ? content : JSON.stringify(content));
  }
}

const tsconfig = { compilerOptions: { strict: true, noEmit: true, types: [], lib: ["ES2022"] }, include: ["src"] };

/** A workspace of packages `a` and `b` under packages/, with the sources given. */
async function workspace(sources: { a: string; b: string }): Promise<void> {
  await files({
    "package.json": { name: "scratch", private: true, workspaces: ["packages/*"] },
    "packages/a/package.json": { name: "a" },
    "packages/a/tsconfig.json": tsconfig,
    "packages/a/src/index.ts": sources.a,
    "packages/b/package.json": { name: "b" },
    "packages/b/tsconfig.json": tsconfig,
    "packages/b/src/index.ts": sources.b,
  });
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "typecheck-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const verdicts = async () =>
  typecheckProjects(await workspaceProjects(root)).map(({ name, diagnostics }) => ({
    name,
    errors: diagnostics.map((diagnostic) => formatDiagnostics([diagnostic], root, false).trim()),
  }));

describe("typecheckProjects", () => {
  it("gives each workspace package with a tsconfig.json its own verdict", async () => {
    await workspace({ a: "export const a: number = 1;\n", b: 'export const b: number = "one";\n' });
    await files({ "packages/no-typescript/package.json": { name: "no-typescript" } });
    expect(await verdicts()).toEqual([
      { name: "a", errors: [] },
      {
        name: "b",
        errors: ["packages/b/src/index.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'."],
      },
    ]);
  });

  it("blames an error on the package whose file holds it, not on the package importing it", async () => {
    await workspace({
      a: "export const a: number = false;\n",
      b: 'import { a } from "../../a/src/index.ts";\nexport const b: number = a;\n',
    });
    await files({
      "packages/b/tsconfig.json": {
        ...tsconfig,
        compilerOptions: { ...tsconfig.compilerOptions, allowImportingTsExtensions: true },
      },
    });
    const [a, b] = await verdicts();
    expect(a?.errors).toEqual([
      "packages/a/src/index.ts(1,14): error TS2322: Type 'boolean' is not assignable to type 'number'.",
    ]);
    expect(b?.errors).toEqual([]);
  });

  it("fails a package whose tsconfig.json is wrong, naming the file and option, and still checks the others", async () => {
    await workspace({ a: "export const a: number = 1;\n", b: "export const b = 1;\n" });
    await files({ "packages/b/tsconfig.json": { ...tsconfig, compilerOptions: { strict: "yes" } } });
    const [a, b] = await verdicts();
    expect(a?.errors).toEqual([]);
    expect(b?.errors).toEqual([
      expect.stringMatching(/^packages\/b\/tsconfig\.json\(1,\d+\): error TS5024: Compiler option 'strict' requires/),
    ]);
  });
});

describe("the CLI", () => {
  it("prints the usage and exits 2 on an unknown flag", async () => {
    const result = await execaNode("src/cli.ts", ["--no-such-flag"], {
      cwd: path.join(import.meta.dirname, ".."),
      reject: false,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Usage: contracts-typecheck");
  });
});
