import path from "node:path";
import { listApis, repoRoot } from "@contracts/spec";
import { bundledSize } from "@contracts/testkit/bundle";

/** Gzipped, minified browser bundle of each client against openapi-fetch alone. */
export async function measureBundles(): Promise<{ name: string; bytes: number }[]> {
  const resolveDir = path.join(repoRoot, "packages", "client-core");
  const sizes = [
    { name: "openapi-fetch alone", bytes: await bundledSize(`export { default } from "openapi-fetch";`, resolveDir) },
  ];
  for (const api of await listApis()) {
    sizes.push({
      name: `@contracts/${api.id}`,
      bytes: await bundledSize(`export { createClient } from "@contracts/${api.id}";`, resolveDir),
    });
  }
  return sizes;
}
