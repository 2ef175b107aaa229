import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { expect, it } from "vitest";

/**
 * The size budget of a client over openapi-fetch alone, in gzipped bytes (what loads up front).
 * 2048 until the clients took every media type and parameter style (bodies, Accept, query, path
 * and cookie styles: the largest client from 2044 to 2468) and every security scheme per
 * operation (credentials per scheme, basic, token functions: to 2966).
 */
export const clientBundleBudget = 3072;

export interface BundleSize {
  /** Gzipped bytes an app loads up front: the entry and every chunk it imports statically. */
  initial: number;
  /** Gzipped bytes of the chunks loaded only through `import()` (e.g. a client's response validators). */
  lazy: number;
}

/** `entry` (module source) bundled for browsers and minified, with code splitting, as an app would ship it. */
export async function bundleSize(entry: string, resolveDir: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: entry, resolveDir, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    outdir: "out",
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  const outputs = result.metafile.outputs;
  const gzipped = new Map(
    // The metafile names each output relative to the working directory, as esbuild resolves `outdir`.
    result.outputFiles.map((file) => [path.relative(process.cwd(), file.path), gzipSync(file.contents).length]),
  );
  const initial = new Set<string>();
  const visit = (output: string) => {
    if (initial.has(output)) return;
    initial.add(output);
    for (const imported of outputs[output]!.imports) if (imported.kind === "import-statement") visit(imported.path);
  };
  visit(Object.keys(outputs).find((output) => outputs[output]!.entryPoint !== undefined)!);
  let lazy = 0;
  for (const [output, bytes] of gzipped) if (!initial.has(output)) lazy += bytes;
  return { initial: [...initial].reduce((sum, output) => sum + (gzipped.get(output) ?? 0), 0), lazy };
}

/** A built client package (its dist/, what its tarball ships) bundles within openapi-fetch alone plus the budget. */
export async function describeBundle(packageDir: string): Promise<void> {
  const { name } = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")) as { name: string };
  it(`${name} bundles (esbuild, minified, gzipped) within openapi-fetch alone + ${clientBundleBudget} bytes up front`, async () => {
    const client = await bundleSize(`export { createClient } from "${name}";`, packageDir);
    const openapiFetch = await bundleSize(`export { default } from "openapi-fetch";`, packageDir);
    expect(client.initial - openapiFetch.initial).toBeLessThanOrEqual(clientBundleBudget);
    // The response validators load only when a call asks for validation: a chunk of their own.
    expect(client.lazy).toBeGreaterThan(0);
  });
}
