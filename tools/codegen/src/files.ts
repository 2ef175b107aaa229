import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
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

/** A file staged by writeAllOrNothing: `<target>.<pid>.tmp`. */
const stagedName = (target: string, pid: number) => `${target}.${pid}.tmp`;
const stagedPattern = /\.(\d+)\.tmp$/;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the staged files a killed run left under `dir` (a run killed between staging and
 * renaming cannot clean up after itself), and returns their paths so the caller can say so.
 * Files of a run that is still going (its pid is alive) are left alone.
 */
export async function removeLeftoverStaging(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const leftovers = entries
    .filter((entry) => !entry.split(path.sep).includes("node_modules"))
    .filter((entry) => {
      const pid = Number(stagedPattern.exec(entry)?.[1]);
      return pid > 0 && pid !== process.pid && !isRunning(pid);
    })
    .map((entry) => path.join(dir, entry));
  await Promise.all(leftovers.map((file) => rm(file, { force: true })));
  return leftovers;
}

/**
 * Writes the changed files of one API all or nothing: every file is staged next to its
 * target first and renamed in only once all are staged. Per-file atomic writers (such as
 * write-file-atomic) cannot give that guarantee for a set of files.
 */
export async function writeAllOrNothing(files: GeneratedFile[]): Promise<string[]> {
  const changed = (await staleFiles(files)).map((stale) => stale.path);
  const toWrite = files.filter((file) => changed.includes(file.path));
  const staged: { temporary: string; target: string }[] = [];
  try {
    for (const file of toWrite) {
      await mkdir(path.dirname(file.path), { recursive: true });
      const temporary = stagedName(file.path, process.pid);
      staged.push({ temporary, target: file.path });
      await writeFile(temporary, file.content);
    }
  } catch (error) {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true })));
    throw error;
  }
  for (const { temporary, target } of staged) await rename(temporary, target);
  return changed;
}
