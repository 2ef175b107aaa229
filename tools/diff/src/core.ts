import { existsSync } from "node:fs";
import { cp, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { readSurface, surfaceFile } from "@contracts/codegen";
import { type Api, clientPackageDir } from "@contracts/spec";
import type ts from "typescript";
import {
  clientCoreSource,
  compilerFor,
  exportsOf,
  failedProbes,
  holdsNew,
  importPath,
  type Probe,
  propertyNames,
  takesOld,
} from "./compiler.ts";
import { dependencyChanges, judge, largestFirst, type VersionVerdict, versionOf } from "./gate.ts";
import { extractAt } from "./git.ts";
import type { Change } from "./model.ts";
import { clientChanges, sameTexts, sources } from "./surface.ts";

/** client-core's package, relative to the repository. */
export const clientCoreDir = "packages/client-core";
/** Whose version every client's dependency range follows (see emitPackageJson in tools/codegen). */
export const clientCoreManifest = `${clientCoreDir}/package.json`;

const hasTypeParameters = (declaration: ts.Declaration) =>
  "typeParameters" in declaration && Array.isArray(declaration.typeParameters) && declaration.typeParameters.length > 0;

/** Whether the export is generic: the compiler can only compare it once its type arguments are known. */
function isGeneric(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  if (symbol.declarations?.some(hasTypeParameters)) return true;
  const type = checker.getTypeOfSymbol(symbol);
  return [...type.getCallSignatures(), ...type.getConstructSignatures()].some(
    (signature) => (signature.getTypeParameters()?.length ?? 0) > 0,
  );
}

/**
 * What client-core's exports at `baseDir` give callers that those at `headDir` do not, and what
 * they add. A value (function, class, constant) must still take every call and `new` it took
 * and give back nothing it did not; a type, which callers both write and read, must still take
 * and hold the same values and keep every property. Generic exports are compared through the
 * instances callers use (see `coreChangesThroughClients`).
 */
async function exportChanges(baseDir: string, headDir: string, workDir: string): Promise<Change[]> {
  const compiler = await compilerFor(workDir, []);
  const { tsc } = compiler;
  const baseEntry = path.join(baseDir, clientCoreSource);
  const headEntry = path.join(headDir, clientCoreSource);
  const listing = tsc.createProgram([baseEntry, headEntry], compiler.options, compiler.host);
  const checker = listing.getTypeChecker();
  const before = exportsOf(tsc, checker, listing.getSourceFile(baseEntry)!);
  const after = exportsOf(tsc, checker, listing.getSourceFile(headEntry)!);
  const probeDir = path.join(workDir, "probe");
  await mkdir(probeDir, { recursive: true });
  const header = [
    `import type * as Old from "${importPath(probeDir, baseEntry)}";`,
    `import type * as New from "${importPath(probeDir, headEntry)}";`,
    `import * as OldValues from "${importPath(probeDir, baseEntry)}";`,
    `import * as NewValues from "${importPath(probeDir, headEntry)}";`,
  ];
  const changes: Change[] = [];
  const report = (impact: Change["impact"], pointer: string, message: string) =>
    changes.push({ impact, source: "client-core", pointer, message });
  const probes: Probe[] = [];
  for (const [name, old] of before) {
    const current = after.get(name);
    if (!current) {
      report("major", name, `export \`${name}\` removed from client-core`);
      continue;
    }
    if (isGeneric(checker, old) || isGeneric(checker, current)) continue;
    const n = probes.length;
    if (old.flags & tsc.SymbolFlags.Value && current.flags & tsc.SymbolFlags.Value) {
      probes.push({
        line: `export const value${n}: typeof OldValues.${name} = NewValues.${name};`,
        pointer: name,
        meaning: `\`${name}\` no longer takes every call it took, or gives back what it did not`,
      });
    } else if (old.flags & tsc.SymbolFlags.Type && current.flags & tsc.SymbolFlags.Type) {
      probes.push(takesOld(n, name), holdsNew(n + 1, name));
      const [was, is] = [propertyNames(checker, old), propertyNames(checker, current)];
      for (const property of was)
        if (!is.has(property))
          report("major", `${name}.${property}`, `property \`${property}\` removed from \`${name}\``);
      for (const property of is)
        if (!was.has(property)) report("minor", `${name}.${property}`, `property \`${property}\` added to \`${name}\``);
    } else {
      report("major", name, `export \`${name}\` is no longer the same kind of thing (a value or a type)`);
    }
  }
  for (const name of after.keys()) if (!before.has(name)) report("minor", name, `export \`${name}\` added`);
  const failed = await failedProbes(compiler, path.join(probeDir, "probe.ts"), header, probes, listing);
  for (const { probe, reason } of failed) report("major", probe.pointer, `${probe.meaning}: ${reason}`);
  return changes;
}

/**
 * What the change of client-core does to each generated client in the working tree: the client
 * compiled against the base's client-core, then against the head's, compared as `npm run diff`
 * compares two versions of a client. It judges the generic exports (`OperationResult`,
 * `OperationMethod`, ...) in the instances that reach the clients' callers.
 */
async function coreChangesThroughClients(
  root: string,
  apis: Api[],
  cores: { base: string; head: string },
  workDir: string,
): Promise<Change[]> {
  const changes: Change[] = [];
  for (const api of apis) {
    const packageDir = clientPackageDir(api);
    // A client not generated yet has no callers to break.
    if (!existsSync(path.join(packageDir, surfaceFile))) continue;
    const surface = await readSurface(packageDir);
    const comparison = path.join(workDir, "through", api.id);
    const copy = async (side: string) => {
      const dir = path.join(comparison, side);
      await mkdir(dir, { recursive: true });
      for (const entry of [path.dirname(surface.entry), surfaceFile])
        await cp(path.join(packageDir, entry), path.join(dir, entry), { recursive: true });
      return dir;
    };
    const base = { dir: await copy("base"), core: cores.base };
    const head = { dir: await copy("head"), core: cores.head };
    const name = path.relative(root, packageDir).split(path.sep).join("/");
    for (const change of await clientChanges(base, head, comparison))
      changes.push({ ...change, source: "client-core", message: `in ${name}: ${change.message}` });
  }
  return changes;
}

/**
 * Every change of client-core's public surface from `baseDir` to `headDir` (each a client-core
 * package: its package.json and src), judged by the compiler. Identical sources cost no compile.
 */
export async function coreChanges(
  root: string,
  apis: Api[],
  baseDir: string,
  headDir: string,
  workDir: string,
): Promise<Change[]> {
  const [before, after] = [await sources(path.join(baseDir, "src")), await sources(path.join(headDir, "src"))];
  if (sameTexts(before, after)) return [];
  const cores = { base: path.join(baseDir, clientCoreSource), head: path.join(headDir, clientCoreSource) };
  const changes = [
    ...(await exportChanges(baseDir, headDir, workDir)),
    ...(await coreChangesThroughClients(root, apis, cores, workDir)),
  ];
  if (changes.length === 0)
    changes.push({
      impact: "patch",
      source: "client-core",
      pointer: "src",
      message: "client-core's sources changed; its public types did not",
    });
  return changes;
}

/**
 * client-core's public surface at the base against the working tree's, and the gate on its
 * package.json version: it has its own semver, bumped by hand.
 */
export async function diffClientCore(
  root: string,
  apis: Api[],
  baseCommit: string,
  baseLabel: string,
  workDir: string,
): Promise<VersionVerdict> {
  const headDir = path.join(root, clientCoreDir);
  const headVersion = versionOf(await readFile(path.join(root, clientCoreManifest), "utf8"));
  const extracted = path.join(workDir, "base");
  await mkdir(extracted, { recursive: true });
  await extractAt(root, baseCommit, [clientCoreManifest, `${clientCoreDir}/src`], extracted);
  const baseDir = path.join(extracted, clientCoreDir);
  if (!existsSync(path.join(baseDir, clientCoreSource)) || !existsSync(path.join(baseDir, "package.json")))
    return {
      status: "new",
      headVersion,
      changes: [],
      ok: true,
      verdict: `client-core: new since ${baseLabel}, first version ${headVersion}.`,
    };
  const baseVersion = versionOf(await readFile(path.join(baseDir, "package.json"), "utf8"));
  const changes = largestFirst([
    ...(await coreChanges(root, apis, baseDir, headDir, workDir)),
    ...(await dependencyChanges(baseDir, headDir, "client-core")),
  ]);
  if (changes.length === 0 && headVersion === baseVersion)
    return {
      status: "unchanged",
      baseVersion,
      headVersion,
      changes,
      ok: true,
      verdict: `client-core: unchanged since ${baseLabel}.`,
    };
  const versioned = {
    name: "client-core",
    field: "version",
    file: clientCoreManifest,
    fix: "Bump it by hand, then run `npm run generate` (every client's dependency range follows it).",
  };
  const judged = judge(versioned, baseVersion, headVersion, changes, baseLabel);
  return { status: changes.length > 0 ? "changed" : "unchanged", baseVersion, headVersion, changes, ...judged };
}
