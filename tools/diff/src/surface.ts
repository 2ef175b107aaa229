import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { type ClientSurface, readSurface } from "@contracts/codegen";
import type ts from "typescript";
import {
  compilerFor,
  exportsOf,
  failedProbes,
  holdsNew,
  importPath,
  type Probe,
  propertyNames,
  type Side,
  takesOld,
} from "./compiler.ts";
import type { Change } from "./model.ts";

/** The files under `dir` by relative path, with their text. */
export async function sources(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const texts = new Map<string, string>();
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    texts.set(path.relative(dir, full), await readFile(full, "utf8"));
  }
  return texts;
}

export function sameTexts(before: Map<string, string>, after: Map<string, string>): boolean {
  return before.size === after.size && [...before].every(([file, text]) => after.get(file) === text);
}

/** The package's sources: the only input of its exports besides client-core. */
const packageSources = (packageDir: string, surface: ClientSurface) =>
  sources(path.join(packageDir, path.dirname(surface.entry)));

function added<T>(from: Set<T> | Map<T, unknown>, to: Set<T> | Map<T, unknown>): T[] {
  return [...to.keys()].filter((key) => !from.has(key));
}

/**
 * What the generated client package at `base.dir` exports and the one at `head.dir` does not (or
 * not compatibly), and what it adds, judged by the surface each declares (`surface.json`): a
 * removal, a narrowed input or a widened output breaks TypeScript callers (major) even where the
 * wire is unchanged; an addition is minor. Each side compiles against its own client-core.
 */
export async function clientChanges(base: Side, head: Side, workDir: string): Promise<Change[]> {
  const [before, after] = [await readSurface(base.dir), await readSurface(head.dir)];
  // Identical sources compiled against the same client-core export identical types.
  if (
    base.core === head.core &&
    sameTexts(await packageSources(base.dir, before), await packageSources(head.dir, after))
  )
    return [];
  const compiler = await compilerFor(workDir, [base, head]);
  const { tsc } = compiler;
  const baseEntry = path.join(base.dir, before.entry);
  const headEntry = path.join(head.dir, after.entry);
  // The listing's checker only reads names; the probe's checker infers the clients' types (the
  // costly part), once, for all the checks.
  const listing = tsc.createProgram([baseEntry, headEntry], compiler.options, compiler.host);
  const checker = listing.getTypeChecker();
  const exports = {
    before: exportsOf(tsc, checker, listing.getSourceFile(baseEntry)!),
    after: exportsOf(tsc, checker, listing.getSourceFile(headEntry)!),
  };
  const schemas = {
    before: propertyNames(checker, exports.before.get(before.schemas)),
    after: propertyNames(checker, exports.after.get(after.schemas)),
  };
  const methods = {
    before: new Set(before.operations.map((operation) => operation.method)),
    after: new Set(after.operations.map((operation) => operation.method)),
  };

  // One compile of a probe: each line assigns an old export to a new one (inputs) or back (outputs).
  const probes: Probe[] = [];
  const header = [
    `import type * as Old from "${importPath(workDir, baseEntry)}";`,
    `import type * as New from "${importPath(workDir, headEntry)}";`,
    `type OldClient = ReturnType<typeof Old.${before.createClient}>;`,
    `type NewClient = ReturnType<typeof New.${after.createClient}>;`,
  ];
  const isType = (symbol: ts.Symbol | undefined) => symbol !== undefined && (symbol.flags & tsc.SymbolFlags.Type) !== 0;
  const kept = (name: string) => isType(exports.before.get(name)) && isType(exports.after.get(name));
  for (const operation of before.operations) {
    for (const name of operation.inputs.filter(kept)) probes.push(takesOld(probes.length, name));
    for (const name of operation.outputs.filter(kept)) probes.push(holdsNew(probes.length, name));
    const { method } = operation;
    if (!methods.after.has(method)) continue;
    // Calls and results apart: one assignment of the whole method types makes the compiler
    // build a union of every status's result too large to represent.
    const n = probes.length;
    probes.push({
      line: `declare const old${n}: Parameters<OldClient["${method}"]>; export const new${n}: Parameters<NewClient["${method}"]> = old${n};`,
      pointer: `client.${method}()`,
      meaning: `\`client.${method}()\` no longer accepts every call it accepted`,
    });
    probes.push({
      line: `declare const new${n + 1}: Awaited<ReturnType<NewClient["${method}"]>>; export const old${n + 1}: Awaited<ReturnType<OldClient["${method}"]>> = new${n + 1};`,
      pointer: `client.${method}()`,
      meaning: `\`client.${method}()\` may return what it did not`,
    });
  }
  const failed = await failedProbes(compiler, path.join(workDir, "probe.ts"), header, probes, listing);

  const operations = [...before.operations, ...after.operations];
  const changes: Change[] = [];
  const report = (impact: Change["impact"], pointer: string, message: string) => {
    const operation = operations.find(
      ({ method, inputs, outputs }) => pointer === `client.${method}()` || [...inputs, ...outputs].includes(pointer),
    );
    changes.push({ impact, source: "client", ...(operation && { operation: operation.endpoint }), pointer, message });
  };
  for (const name of added(exports.after, exports.before))
    report("major", name, `export \`${name}\` removed from the client package`);
  for (const name of added(schemas.after, schemas.before))
    report(
      "major",
      `Schemas["${name}"]`,
      `type \`Schemas["${name}"]\` removed (component schema "${name}" renamed or deleted)`,
    );
  for (const name of added(methods.after, methods.before))
    report(
      "major",
      `client.${name}()`,
      `method \`client.${name}()\` removed (operationId "${name}" renamed or deleted)`,
    );
  for (const name of added(exports.before, exports.after)) report("minor", name, `export \`${name}\` added`);
  for (const name of added(schemas.before, schemas.after))
    report("minor", `Schemas["${name}"]`, `type \`Schemas["${name}"]\` added`);
  for (const name of added(methods.before, methods.after))
    report("minor", `client.${name}()`, `method \`client.${name}()\` added`);
  for (const { probe, reason } of failed) report("major", probe.pointer, `${probe.meaning}: ${reason}`);
  return changes;
}
