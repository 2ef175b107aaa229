import { execFile } from "node:child_process";
import { globSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type CliConfig, parseCli } from "../src/flags.ts";

const usage = "Usage: wrapper [--force] [-- <wrapped tool's flags>]";
const config = { passThrough: true, options: { force: { type: "boolean", default: false } } } as const;

describe("parseCli", () => {
  it("parses its own flags and hands everything after -- to the wrapped tool unparsed", () => {
    const { values, passThrough } = parseCli(usage, config, ["--force", "--", "--graph", "--bogus"]);
    expect(values.force).toBe(true);
    expect(passThrough).toEqual(["--graph", "--bogus"]);
  });

  it("without --, passes nothing through", () => {
    expect(parseCli(usage, config, []).passThrough).toEqual([]);
  });

  // The failure path exits the process: run it in a child.
  const failWith = async (
    config: CliConfig,
    args: string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> => {
    const script = `import { parseCli } from ${JSON.stringify(new URL("../src/flags.ts", import.meta.url).href)};
parseCli(${JSON.stringify(usage)}, ${JSON.stringify(config)}, ${JSON.stringify(args)});`;
    try {
      await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]);
    } catch (failure) {
      return failure as { code: number; stdout: string; stderr: string };
    }
    throw new Error("parseCli did not exit");
  };

  // With positionals allowed Node's own message adds advice to quote the flag after `--`: not ours.
  it.each([
    ["a CLI without positionals", { options: { force: { type: "boolean" } } }],
    ["a CLI with positionals", { allowPositionals: true, options: { force: { type: "boolean" } } }],
    ["a wrapper, before its --", { passThrough: true, options: { force: { type: "boolean" } } }],
  ] as const)("for %s: exits 2 with \"Unknown option '--bogus'\" and the usage, nothing else", async (_, cliConfig) => {
    const failure = await failWith(cliConfig, ["--bogus", "--", "--graph"]);
    expect(failure.code).toBe(2);
    expect(failure.stdout).toBe("");
    expect(failure.stderr).toBe(`Unknown option '--bogus'\n\n${usage}\n`);
  });

  it("names a missing value, with the usage", async () => {
    const failure = await failWith({ options: { port: { type: "string" } } }, ["--port"]);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/^Option '--port <value>' argument missing\n\n/);
    expect(failure.stderr).toContain(usage);
  });
});

// Every CLI's flags go through parseCli, so the message above is every CLI's: read, not run.
describe("every CLI entry (tools/*/src/*cli.ts)", () => {
  const toolsDir = path.join(import.meta.dirname, "..", "..");
  const entries = globSync("*/src/*cli.ts", { cwd: toolsDir });

  it("is found", () => {
    expect(entries.length).toBeGreaterThan(10);
  });

  it.each(entries)("%s parses its flags with parseCli of @contracts/cli, never parseArgs", async (entry) => {
    const source = await readFile(path.join(toolsDir, entry), "utf8");
    expect(source).toMatch(/import \{[^}]*\bparseCli\b[^}]*\} from "@contracts\/cli"/);
    expect(source).toMatch(/\bparseCli\(/);
    expect(source).not.toMatch(/\bparseArgs\b/);
  });
});
