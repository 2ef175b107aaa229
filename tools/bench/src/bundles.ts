import path from "node:path";
import { listApis, repoRoot } from "@contracts/spec";
import { bundleSize } from "@contracts/testkit/bundle";

/** Gzipped, minified browser bundle of each client against openapi-fetch alone: up front, and loaded on demand. */
export async function measureBundles(): Promise<{ name: string; bytes: number; lazy: number }[]> {
  const resolveDir = path.join(repoRoot, "packages", "client-core");
  const measure = async (name: string, entry: string) => {
    const { initial, lazy } = await bundleSize(entry, resolveDir);
    return { name, bytes: initial, lazy };
  };
  const sizes = [await measure("openapi-fetch alone", `export { default } from "openapi-fetch";`)];
  for (const api of await listApis())
    sizes.push(await measure(`@contracts/${api.id}`, `export { createClient } from "@contracts/${api.id}";`));
  return sizes;
}
