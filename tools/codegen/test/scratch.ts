import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixtureRoot } from "@contracts/fixtures";
import { repoRoot } from "@contracts/spec";
import { clientPackageDir, generate } from "../src/index.ts";

const copies: string[] = [];

/**
 * A scratch repository with what generation reads (a registry and its specs, `fixtureRoot`'s by
 * default, and client-core's manifest for its version), generated once (`apis`, else all) so each
 * case starts with client packages in sync. Its node_modules links this repository's and the
 * clients' tsconfig finds its base, so a generated client can be imported, with the built client-core.
 */
export async function scratchRepo(registry = fixtureRoot, apis?: string[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "codegen-test-"));
  copies.push(root);
  await cp(registry, root, { recursive: true });
  await cp(
    path.join(repoRoot, "packages", "client-core", "package.json"),
    path.join(root, "packages", "client-core", "package.json"),
  );
  await cp(path.join(repoRoot, "tsconfig.base.json"), path.join(root, "tsconfig.base.json"));
  await symlink(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  const { failures } = await generate({ root, ...(apis && { apis }) });
  if (failures[0]) throw failures[0].error;
  return root;
}

export async function removeScratchRepos(): Promise<void> {
  await Promise.all(copies.splice(0).map((root) => rm(root, { recursive: true, force: true })));
}

type Method = (init?: object) => Promise<{ status: number; data?: unknown }>;

/** The generated module of an API in a scratch repository, imported from its sources as the tests of a client do. */
// biome-ignore lint/suspicious/noExplicitAny: each test reads the exports it generated
export async function generatedModule(root: string, id: string): Promise<Record<string, any>> {
  return import(path.join(clientPackageDir({ id, root }), "src", "index.ts"));
}

/** The generated client of an API in a scratch repository. */
export async function generatedClient(root: string, id: string): Promise<(options?: object) => Record<string, Method>> {
  return (await generatedModule(root, id)).createClient;
}
