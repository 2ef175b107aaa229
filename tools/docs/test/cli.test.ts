import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { listApis, repoRoot } from "@contracts/registry";

// Each run builds every page with Redocly: seconds under load.
describe("npm run docs", { timeout: 120_000 }, () => {
  it("writes one page per API of the registry and an index linking them", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "docs-cli-"));
    try {
      const result = await execa("npm", ["run", "docs", "--", "--out", out], { cwd: repoRoot, all: true, reject: false });
      expect(result.exitCode, result.all).toBe(0);
      const apis = await listApis();
      expect((await readdir(out)).sort()).toEqual([...apis.map((api) => `${api.id}.html`), "index.html"].sort());
      const index = await readFile(path.join(out, "index.html"), "utf8");
      for (const api of apis) expect(index).toContain(`href="${api.id}.html"`);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("prints the usage and exits 2 on an unknown flag", async () => {
    const result = await execa("npm", ["run", "docs", "--", "--outdir", "x"], { cwd: repoRoot, all: true, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("Usage: contracts-docs");
  });
});
