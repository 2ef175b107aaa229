import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { expect, it } from "vitest";

/** The size budget of a client over openapi-fetch alone, in gzipped bytes. */
export const clientBundleBudget = 2048;

/** Gzipped bytes of `entry` (module source) bundled for browsers and minified, as an app would ship it. */
export async function bundledSize(entry: string, resolveDir: string): Promise<number> {
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return gzipSync(result.outputFiles[0]!.contents).length;
}

/** A built client package (its dist/, what its tarball ships) bundles within openapi-fetch alone plus the budget. */
export async function describeBundle(packageDir: string): Promise<void> {
  const { name } = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")) as { name: string };
  it(`${name} bundles (esbuild, minified, gzipped) within openapi-fetch alone + ${clientBundleBudget} bytes`, async () => {
    const client = await bundledSize(`export { createClient } from "${name}";`, packageDir);
    const openapiFetch = await bundledSize(`export { default } from "openapi-fetch";`, packageDir);
    expect(client - openapiFetch).toBeLessThanOrEqual(clientBundleBudget);
  });
}
