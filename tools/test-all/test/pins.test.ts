import { glob, readFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import { expect, it } from "vitest";

/** In maintenance mode, with no further releases (see the README's "What the clients run on"): an install must never move them. */
const pinned = ["openapi-fetch", "openapi-typescript", "openapi-typescript-helpers"];

/** The root manifest and every workspace's (the generated clients' among them), relative to the root. */
async function manifests(): Promise<string[]> {
  const { workspaces } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  const found = ["package.json"];
  for await (const file of glob(
    workspaces.map((pattern) => `${pattern}/package.json`),
    { cwd: repoRoot },
  ))
    found.push(file);
  return found;
}

it("declares openapi-fetch and openapi-typescript at one exact version wherever they are declared", async () => {
  const declared: Record<string, string> = {};
  for (const file of await manifests()) {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, file), "utf8")) as Record<string, unknown>;
    for (const field of ["dependencies", "devDependencies", "peerDependencies"]) {
      const ranges = (manifest[field] ?? {}) as Record<string, string>;
      for (const name of pinned) if (ranges[name]) declared[`${file} ${field} ${name}`] = ranges[name];
    }
  }
  expect(Object.keys(declared)).toContain("packages/client-core/package.json dependencies openapi-fetch");
  for (const [where, range] of Object.entries(declared)) expect(range, where).toMatch(/^\d+\.\d+\.\d+$/);
  // One version of each: what codegen writes with is what the clients run on.
  for (const name of pinned)
    expect(
      new Set(Object.entries(declared).flatMap(([where, range]) => (where.endsWith(` ${name}`) ? [range] : []))).size,
    ).toBeLessThanOrEqual(1);
});
