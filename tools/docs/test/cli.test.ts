import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixtureRoot } from "@contracts/fixtures";
import { listApis, repoRoot } from "@contracts/spec";
import { execa } from "execa";
import { describe, expect, it } from "vitest";

describe("npm run docs", () => {
  // One API keeps it cheap: the browser test builds and opens every page.
  it("writes the page of each API named and an index linking it", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "docs-cli-"));
    try {
      const [api] = await listApis(fixtureRoot);
      const result = await execa("npm", ["run", "docs", "--", api!.id, "--root", fixtureRoot, "--out", out], {
        cwd: repoRoot,
        all: true,
        reject: false,
      });
      expect(result.exitCode, result.all).toBe(0);
      expect((await readdir(out)).sort()).toEqual([`${api!.id}.html`, "index.html"].sort());
      expect(await readFile(path.join(out, "index.html"), "utf8")).toContain(`href="${api!.id}.html"`);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("prints the usage and exits 2 on an unknown flag", async () => {
    const result = await execa("npm", ["run", "docs", "--", "--outdir", "x"], {
      cwd: repoRoot,
      all: true,
      reject: false,
    });
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("Usage: contracts-docs");
  });
});
