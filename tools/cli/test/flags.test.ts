import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseCli } from "../src/flags.ts";

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
  it("exits 2 naming an unknown flag before --, with the usage and no stack trace", async () => {
    const script = `import { parseCli } from ${JSON.stringify(new URL("../src/flags.ts", import.meta.url).href)};
parseCli(${JSON.stringify(usage)}, { passThrough: true, options: { force: { type: "boolean" } } }, ["--bogus", "--", "--graph"]);`;
    const failure = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining("'--bogus'") });
    expect((failure as { stderr: string }).stderr).toContain(usage);
    expect((failure as { stderr: string }).stderr).not.toMatch(/^\s+at /m);
  });
});
