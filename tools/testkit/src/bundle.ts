import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { apiById, loadSpec, operationsOf, sentSchemesOf } from "@contracts/spec";
import { build } from "esbuild";
import { expect, it } from "vitest";

/**
 * The size budget of a client's runtime over openapi-fetch alone, in gzipped bytes (what loads up
 * front): client-core's code and the API's description (title, server), whatever the spec's size.
 * 2048 until the clients took every media type and parameter style (bodies, Accept, query, path
 * and cookie styles: the largest client from 2044 to 2468) and every security scheme per
 * operation (credentials per scheme, basic, token functions: to 2966). Bundled without their
 * operations and security schemes, 21 clients took 2879 to 2953 bytes with client-core 2.2.0 (the
 * three here, the twelve then in tools/fixtures/corpus, OAI's petstore.json and webhook example,
 * and museum's and parameters-style's operations repeated to 8 and 80, 25 and 100). 3072 until
 * credentials that refresh after a 401: the refresh is a chunk of its own, loaded only by a call
 * holding a provider, but each call's hook (keep the body, send again) and `CredentialRefreshError`
 * load up front, 210 to 214 bytes on the three clients; 256 more. 3328 until this round's runtime
 * changes (an answer without a body, a 304 or a redirect not followed, read as none rather than an
 * error of "") took the largest of the three to 3416 of its 3408; 64 more.
 */
export const clientBundleBudget = 3392;

/**
 * What each operation adds, gzipped: its entry in the client's table (method name, method, path,
 * retry rule, what it needs beyond JSON). Measured on the same 21 clients, bundled with and without
 * their table: 12 to 37 bytes an operation (37 where one operation stands alone, with nothing to
 * compress against; 32 at most in a client of several, whose entries each list their security
 * requirements); from 8 to 80 of museum's operations 8.4 bytes each, from 25 to 100 of
 * parameters-style's 10.4.
 */
export const operationBundleBudget = 40;

/**
 * What each security scheme the client sends adds, gzipped (where it goes, its prefix, its
 * environment variables), measured the same way: 24 to 57 bytes a scheme, and 78 to 90 for an HTTP
 * basic scheme alone (two variables), which the runtime's margin takes.
 */
export const schemeBundleBudget = 40;

/** A client's budget over openapi-fetch alone: the runtime's, plus each operation's and each security scheme's. */
export function clientBundleBudgetFor({ operations, schemes }: { operations: number; schemes: number }): number {
  return clientBundleBudget + operationBundleBudget * operations + schemeBundleBudget * schemes;
}

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

/**
 * A built client package (its dist/, what its tarball ships) bundles within openapi-fetch alone plus
 * its budget (`clientBundleBudgetFor`), the package generated from an API of the registry at the
 * repository's root (`packages/clients/<id>`).
 */
export async function describeBundle(packageDir: string): Promise<void> {
  const { name } = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")) as { name: string };
  const document = await loadSpec(await apiById(path.basename(packageDir), path.resolve(packageDir, "../../..")));
  const operations = operationsOf(document).length;
  const schemes = sentSchemesOf(document).length;
  const budget = clientBundleBudgetFor({ operations, schemes });
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  const reason = `${clientBundleBudget} for the runtime + ${operationBundleBudget} × ${plural(operations, "operation")} + ${schemeBundleBudget} × ${plural(schemes, "security scheme")}`;
  it(`${name} bundles (esbuild, minified, gzipped) within openapi-fetch alone + ${budget} bytes up front (${reason})`, async () => {
    const client = await bundleSize(`export { createClient } from "${name}";`, packageDir);
    const openapiFetch = await bundleSize(`export { default } from "openapi-fetch";`, packageDir);
    expect(client.initial - openapiFetch.initial).toBeLessThanOrEqual(budget);
    // The response validators load only when a call asks for validation: a chunk of their own.
    expect(client.lazy).toBeGreaterThan(0);
  });
}
