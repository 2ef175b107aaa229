import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixtureRoot } from "@contracts/fixtures";
import { type Mocks, startMocks } from "@contracts/mock";
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

/** A generated module's exports (its client's, its MSW handlers'), read as each test uses them. */
// biome-ignore lint/suspicious/noExplicitAny: each test reads the exports it generated
export type GeneratedModule = Record<string, any>;

/** The generated module of an API in a scratch repository, imported from its sources as the tests of a client do. */
export async function generatedModule(root: string, id: string): Promise<GeneratedModule> {
  return import(path.join(clientPackageDir({ id, root }), "src", "index.ts"));
}

/** The generated client of an API in a scratch repository. */
export async function generatedClient(root: string, id: string): Promise<(options?: object) => Record<string, Method>> {
  return (await generatedModule(root, id)).createClient;
}

/** Every item of an async iterable (a stream's events, a walk's items or pages), in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}

/**
 * A registry generated into a scratch repository, with one API's generated client module and MSW
 * handlers imported and its Prism mock started: what a test needs to drive the client against both mocks.
 */
export async function generatedWithMocks(
  registry: string,
  id: string,
): Promise<{ root: string; generated: GeneratedModule; msw: GeneratedModule; mocks: Mocks }> {
  const root = await scratchRepo(registry);
  const generated = await generatedModule(root, id);
  const msw = await import(path.join(clientPackageDir({ id, root }), "src", "msw.ts"));
  return { root, generated, msw, mocks: await startMocks({ root, apis: [id] }) };
}
