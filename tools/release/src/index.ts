import { readFile } from "node:fs/promises";
import path from "node:path";
import { diffApis, uncommittedChanges } from "@contracts/diff";
import { clientPackageDir, listApis, repoRoot } from "@contracts/spec";
import { execa } from "execa";

export interface ReleaseOptions {
  registry: string;
  /** The repository whose packages are published. */
  root?: string;
  /** The gate's base (default: the merge-base of HEAD with main). */
  base?: string;
  /** An npm user config holding the registry's token (default: npm's own lookup). */
  userconfig?: string;
  log?: (line: string) => void;
}

export interface PackageVersion {
  name: string;
  version: string;
}

export interface ReleaseResult {
  published: PackageVersion[];
  /** Already on the registry at that version. */
  unchanged: PackageVersion[];
}

export class ReleaseRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReleaseRefused";
  }
}

interface Manifest extends PackageVersion {
  dir: string;
  dependencies: string[];
  private: boolean;
}

async function manifest(dir: string): Promise<Manifest> {
  const json = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as PackageVersion & {
    private?: boolean;
    dependencies?: Record<string, string>;
  };
  return {
    dir,
    name: json.name,
    version: json.version,
    private: json.private === true,
    dependencies: Object.keys(json.dependencies ?? {}),
  };
}

/** The packages in an order where each comes after those of them it depends on. */
export function dependencyOrder<T extends { name: string; dependencies: string[] }>(packages: T[]): T[] {
  const ordered: T[] = [];
  const visit = (pkg: T, trail: string[]) => {
    if (ordered.includes(pkg)) return;
    if (trail.includes(pkg.name)) throw new Error(`Dependency cycle: ${[...trail, pkg.name].join(" -> ")}`);
    for (const name of pkg.dependencies) {
      const dependency = packages.find((candidate) => candidate.name === name);
      if (dependency) visit(dependency, [...trail, pkg.name]);
    }
    ordered.push(pkg);
  };
  for (const pkg of packages) visit(pkg, []);
  return ordered;
}

/** How long the registry may take to answer its first request: npm's own retries take over a minute. */
export const registryTimeoutMs = 5000;

/**
 * Fails at once, in one line naming the registry and the cause, unless the registry answers (any
 * HTTP status will do: some registries answer npm's ping with 404, and the token is npm's business).
 */
async function ensureReachable(registry: string): Promise<void> {
  let url: URL;
  try {
    url = new URL("-/ping", registry.endsWith("/") ? registry : `${registry}/`);
  } catch {
    throw new ReleaseRefused(`--registry ${registry} is not a URL; give the registry's, e.g. https://npm.example.com/`);
  }
  try {
    await fetch(url, { signal: AbortSignal.timeout(registryTimeoutMs) });
  } catch (error) {
    // fetch's own message is "fetch failed"; what failed (refused, unknown host) is its cause's.
    const { cause } = error as { cause?: { message?: string; code?: string } };
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${registryTimeoutMs / 1000} s`
        : cause?.message || cause?.code || String(error);
    throw new ReleaseRefused(`Cannot reach the registry ${registry} (${reason}); nothing was published.`);
  }
}

async function isOnRegistry(pkg: PackageVersion, npmArgs: string[]): Promise<boolean> {
  const result = await execa("npm", ["view", `${pkg.name}@${pkg.version}`, "version", "--json", ...npmArgs], {
    reject: false,
    all: true,
  });
  if (result.exitCode === 0) return result.stdout.trim() !== "";
  if (/E404|is not in this registry/.test(result.all ?? "")) return false;
  const npmErrors = (result.all ?? "").split("\n").filter((line) => line.startsWith("npm error"));
  const cause = npmErrors.length > 0 ? npmErrors : [result.all || result.shortMessage];
  throw new ReleaseRefused(
    `npm view ${pkg.name}@${pkg.version} failed; nothing was published:\n${cause.map((line) => `  ${line}`).join("\n")}`,
  );
}

/**
 * Publishes client-core and every client package whose version is not on the registry yet,
 * dependencies first. Refuses (ReleaseRefused, nothing published) when the registry does not
 * answer, on uncommitted changes or a failed version gate: what is published must be the
 * committed, correctly versioned contract.
 */
export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const root = options.root ?? repoRoot;
  const log = options.log ?? (() => {});
  await ensureReachable(options.registry);
  const dirty = await uncommittedChanges(root);
  if (dirty.length > 0) {
    throw new ReleaseRefused(
      `Uncommitted changes in ${root}; commit or stash them first (a release publishes committed work only):\n${dirty.map((line) => `  ${line}`).join("\n")}`,
    );
  }
  const gate = await diffApis({ root, ...(options.base && { base: options.base }) });
  if (!gate.ok) {
    throw new ReleaseRefused(
      `The version gate failed; nothing was published:\n${[...(gate.clientCore ? [gate.clientCore] : []), ...gate.apis]
        .filter((judged) => !judged.ok)
        .map((judged) => `  ${judged.verdict}`)
        .join("\n")}`,
    );
  }
  const npmArgs = ["--registry", options.registry, ...(options.userconfig ? ["--userconfig", options.userconfig] : [])];
  const dirs = [
    path.join(root, "packages", "client-core"),
    ...(await listApis(root)).map((api) => clientPackageDir(api)),
  ];
  const packages = dependencyOrder((await Promise.all(dirs.map(manifest))).filter((pkg) => !pkg.private));
  const onRegistry = await Promise.all(packages.map((pkg) => isOnRegistry(pkg, npmArgs)));
  const result: ReleaseResult = { published: [], unchanged: [] };
  for (const [index, pkg] of packages.entries()) {
    const { name, version } = pkg;
    if (onRegistry[index]) {
      result.unchanged.push({ name, version });
      log(`${name}@${version} is on the registry already`);
      continue;
    }
    await execa("npm", ["run", "build"], { cwd: pkg.dir, preferLocal: true, localDir: root });
    await execa("npm", ["publish", "--access", "public", ...npmArgs], { cwd: pkg.dir });
    result.published.push({ name, version });
    log(`published ${name}@${version}`);
  }
  return result;
}
