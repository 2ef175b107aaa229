import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface GeneratedFile {
  /** Absolute path. */
  path: string;
  content: string;
}

export interface StaleFile {
  path: string;
  reason: "missing" | "differs from its spec";
}

async function currentContent(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
}

/** The files whose content on disk is not what generation would write. */
export async function staleFiles(files: GeneratedFile[]): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const file of files) {
    const current = await currentContent(file.path);
    if (current !== file.content)
      stale.push({ path: file.path, reason: current === undefined ? "missing" : "differs from its spec" });
  }
  return stale;
}

/**
 * Beside each package `<id>`: the package a run stages (`.<id>.<pid>.new`) and the one it sets aside
 * (`.<id>.<pid>.old`), hidden (a dot first) from the workspace globs of npm and turbo.
 */
const besidePackage = (dir: string, pid: number, role: "new" | "old") =>
  path.join(path.dirname(dir), `.${path.basename(dir)}.${pid}.${role}`);
const besidePattern = /^\.(.+)\.(\d+)\.(new|old)$/;

const notFound = (error: NodeJS.ErrnoException) => {
  if (error.code === "ENOENT") return [];
  throw error;
};

/**
 * Copies into `staged` the top-level entries of the package at `dir` that generation does not
 * write: CHANGELOG.md (history), dist/, node_modules/, turbo's and vitest's reports.
 */
async function carryOver(dir: string, staged: string, files: GeneratedFile[]): Promise<void> {
  const generated = new Set(files.map((file) => path.relative(dir, file.path).split(path.sep)[0]));
  for (const entry of await readdir(dir).catch(notFound)) {
    if (generated.has(entry)) continue;
    await cp(path.join(dir, entry), path.join(staged, entry), { recursive: true, verbatimSymlinks: true });
  }
}

/**
 * Replaces the generated package at `dir` with `files` all or nothing, when any of them changed.
 * The new package is written whole beside it (with what generation does not write copied over),
 * then swapped in by two renames: the current package aside, the new one in its place. A failure
 * puts the current package back; a run killed between the renames leaves both whole, and
 * `recoverInterruptedSwaps` puts the current one back. Returns the files that changed.
 */
export async function writePackage(dir: string, files: GeneratedFile[]): Promise<string[]> {
  const changed = (await staleFiles(files)).map((stale) => stale.path);
  if (changed.length === 0) return [];
  const staged = besidePackage(dir, process.pid, "new");
  const aside = besidePackage(dir, process.pid, "old");
  try {
    for (const file of files) {
      const target = path.join(staged, path.relative(dir, file.path));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    await carryOver(dir, staged, files);
    const existed = existsSync(dir);
    if (existed) await rename(dir, aside);
    try {
      await rename(staged, dir);
    } catch (error) {
      if (existed) await rename(aside, dir);
      throw error;
    }
    if (existed) await rm(aside, { recursive: true, force: true });
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
  return changed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface Recovered {
  /** A package a killed run staged or set aside. */
  path: string;
  /** The package it was put back as, when the run was killed between its two renames; else it was removed. */
  restored?: string;
}

/**
 * Finishes the package swaps of runs that were killed (a killed run cannot clean up after itself):
 * a package set aside whose place is empty is put back, every other staged or set-aside package
 * is removed. Those of a run still going (its pid is alive) are left alone.
 */
export async function recoverInterruptedSwaps(clientsDir: string): Promise<Recovered[]> {
  const leftovers = (await readdir(clientsDir).catch(notFound)).flatMap((entry) => {
    const [, id, pid, role] = besidePattern.exec(entry) ?? [];
    const killed = pid !== undefined && Number(pid) !== process.pid && !isRunning(Number(pid));
    return killed ? [{ leftover: path.join(clientsDir, entry), place: path.join(clientsDir, id!), role }] : [];
  });
  const recovered: Recovered[] = [];
  // Set-aside packages first: one goes back only while its place is empty.
  for (const { leftover, place } of leftovers.filter(({ role }) => role === "old")) {
    if (existsSync(place)) continue;
    await rename(leftover, place);
    recovered.push({ path: leftover, restored: place });
  }
  for (const { leftover } of leftovers.filter(({ leftover }) => existsSync(leftover))) {
    await rm(leftover, { recursive: true, force: true });
    recovered.push({ path: leftover });
  }
  return recovered;
}
