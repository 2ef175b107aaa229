import { writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";

/**
 * Makes the folder a git repository whose `main` holds its files as they are (node_modules left
 * out): the base each save's contract impact is judged against.
 */
export async function commitAsMain(root: string): Promise<void> {
  await writeFile(path.join(root, ".gitignore"), "node_modules\n");
  const git = (...args: string[]) =>
    execa("git", ["-c", "user.name=dev test", "-c", "user.email=dev-test@example.test", ...args], { cwd: root });
  await git("init", "--quiet", "--initial-branch=main");
  await git("add", ".");
  await git("commit", "--quiet", "-m", "base");
}
