import { existsSync } from "node:fs";
import { cp, glob, mkdir, mkdtemp, readdir, readFile, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixtureRoot } from "@contracts/fixtures";
import { repoRoot } from "@contracts/spec";
import { execa } from "execa";

/**
 * The project's own APIs: a fixture workspace holds the fixture registry's instead. The specs
 * package stays, scripts and all, so that the npm scripts run there as they do here.
 */
const projectApis = /^(redocly\.yaml$|specs\/[^/]+\.yaml$|packages\/clients\/)/;

/**
 * A scratch copy of this repository in a temp dir: every file git does not ignore, bar the paths
 * (relative to the root) `leaveOut` matches. It has no node_modules.
 */
export async function copyRepository(prefix: string, leaveOut?: RegExp): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  const files = (await execa("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: repoRoot })).stdout
    .split("\0")
    .filter(Boolean);
  // -c lists tracked files deleted in the working tree too: they are not part of it.
  await Promise.all(
    files
      .filter((file) => !leaveOut?.test(file) && existsSync(path.join(repoRoot, file)))
      .map((file) => cp(path.join(repoRoot, file), path.join(root, file))),
  );
  return root;
}

/**
 * A scratch copy of this repository with the fixture registry (redocly.yaml and its specs, no
 * generated clients) in place of the project's APIs, where the npm scripts and tools run as in
 * the repository itself: its node_modules links each installed package to this repository's,
 * except the workspace's own packages, which link to the copy's, so the tools run on the copy's
 * sources and take the copy for their repository root.
 */
export async function fixtureWorkspace(prefix: string): Promise<string> {
  const root = await copyRepository(prefix, projectApis);
  await cp(fixtureRoot, root, { recursive: true });
  await mkdir(path.join(root, "node_modules", "@contracts"), { recursive: true });
  for (const entry of await readdir(path.join(repoRoot, "node_modules"))) {
    // Not the install's caches: the copy's verdicts stay in the copy.
    if (entry !== "@contracts" && entry !== ".cache")
      await symlink(path.join(repoRoot, "node_modules", entry), path.join(root, "node_modules", entry));
  }
  const { workspaces } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  for await (const manifest of glob(
    workspaces.map((pattern) => `${pattern}/package.json`),
    { cwd: root },
  )) {
    const { name } = JSON.parse(await readFile(path.join(root, manifest), "utf8")) as { name: string };
    await symlink(path.join(root, path.dirname(manifest)), path.join(root, "node_modules", name));
  }
  return root;
}
