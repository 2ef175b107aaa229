import { gzipSync } from "node:zlib";
import { build } from "esbuild";

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
