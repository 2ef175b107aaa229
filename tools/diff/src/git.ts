import { execa } from "execa";

/** The branch whose merge-base is the default base: what this branch will be merged into. */
export const mainBranch = "main";

async function git(root: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const result = await execa("git", args, { cwd: root, reject: false, stripFinalNewline: false });
  return { ok: result.exitCode === 0, stdout: String(result.stdout), stderr: String(result.stderr).trim() };
}

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitError";
  }
}

/** The commit a ref names, or a GitError saying what to pass instead. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  const result = await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!result.ok) {
    const inRepo = await git(root, ["rev-parse", "--git-dir"]);
    if (!inRepo.ok) throw new GitError(`${root} is not a git repository: the diff compares the specs with a git ref.`);
    throw new GitError(`"${ref}" names no commit in ${root}. Pass an existing ref: --base <branch, tag or commit>.`);
  }
  return result.stdout.trim();
}

/** The default base: the merge-base of HEAD with `main` (or `origin/main` in a clone without a local `main`). */
export async function defaultBase(root: string): Promise<string> {
  for (const candidate of [mainBranch, `origin/${mainBranch}`]) {
    const exists = await git(root, ["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]);
    if (!exists.ok) continue;
    const base = await git(root, ["merge-base", "HEAD", candidate]);
    if (!base.ok)
      throw new GitError(`HEAD and ${candidate} have no common commit (${base.stderr}). Pass --base <ref>.`);
    return base.stdout.trim();
  }
  await resolveCommit(root, "HEAD");
  throw new GitError(
    `There is no "${mainBranch}" branch (nor "origin/${mainBranch}") to take the merge-base with. Pass --base <ref>.`,
  );
}

/** A file's content at a commit, or undefined when the commit does not have it. */
export async function fileAt(root: string, commit: string, file: string): Promise<string | undefined> {
  const result = await git(root, ["show", `${commit}:${file}`]);
  return result.ok ? result.stdout : undefined;
}

/** Writes the files under `paths` as they are at `commit` into `destination` (git archive, untarred). */
export async function extractAt(root: string, commit: string, paths: string[], destination: string): Promise<void> {
  const present: string[] = [];
  for (const entry of paths) {
    if ((await git(root, ["cat-file", "-e", `${commit}:${entry}`])).ok) present.push(entry);
  }
  if (present.length === 0) return;
  const archive = execa("git", ["archive", "--format=tar", commit, "--", ...present], {
    cwd: root,
    encoding: "buffer",
  });
  await execa("tar", ["-x", "-C", destination], { input: (await archive).stdout });
}

/**
 * Whether the working tree's files under `paths` are exactly those of `commit`: no tracked file
 * changed, added or removed since, and no untracked one (bar ignored files) among them.
 */
export async function sameAsCommit(root: string, commit: string, paths: string[]): Promise<boolean> {
  const changed = await git(root, ["diff", "--quiet", commit, "--", ...paths]);
  if (!changed.ok) return false;
  const untracked = await git(root, ["ls-files", "--others", "--exclude-standard", "--", ...paths]);
  return untracked.ok && untracked.stdout.trim() === "";
}

/** Paths with uncommitted changes (tracked or untracked), as `git status --porcelain` lists them. */
export async function uncommittedChanges(root: string): Promise<string[]> {
  const result = await git(root, ["status", "--porcelain"]);
  if (!result.ok) throw new GitError(`git status failed in ${root}: ${result.stderr}`);
  return result.stdout.split("\n").filter((line) => line.trim() !== "");
}
