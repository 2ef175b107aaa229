import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type GeneratedFile, recoverInterruptedSwaps, writePackage } from "../src/files.ts";

/** The next rename into this path fails, as a failing disk can make one. */
const failing = vi.hoisted(() => ({ renameInto: undefined as string | undefined }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (to === failing.renameInto) {
        failing.renameInto = undefined;
        throw Object.assign(new Error(`EIO: i/o error, rename '${from}'`), { code: "EIO" });
      }
      return actual.rename(from, to);
    },
  };
});

let clients: string;
let dir: string;

/** Every file under `folder` with its text, by relative path. */
async function contents(folder: string): Promise<Record<string, string>> {
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const entries = await Promise.all(
    files.map(async (file) => {
      const full = path.join(file.parentPath, file.name);
      return [path.relative(folder, full), await readFile(full, "utf8")] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function writeTree(folder: string, tree: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(tree)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), text);
  }
}

/** The package as an earlier generation left it, with a changelog and a build of its own. */
const current = {
  "package.json": "old manifest",
  "src/index.ts": "entry",
  "src/generated/client.ts": "old client",
  "src/generated/dropped.ts": "a file generation no longer writes",
  "CHANGELOG.md": "# history",
  "dist/index.js": "built",
};
const generated = (tree: Record<string, string>): GeneratedFile[] =>
  Object.entries(tree).map(([file, content]) => ({ path: path.join(dir, file), content }));
const next = { "package.json": "new manifest", "src/index.ts": "entry", "src/generated/client.ts": "new client" };

/** The pid of a process that has ended: what a killed run leaves its staging under. */
async function deadPid(): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", "console.log(process.pid)"]);
  return Number(stdout.trim());
}

beforeEach(async () => {
  clients = await mkdtemp(path.join(tmpdir(), "codegen-files-"));
  dir = path.join(clients, "widgets");
  await writeTree(dir, current);
});
afterEach(async () => {
  failing.renameInto = undefined;
  await rm(clients, { recursive: true, force: true });
});

describe("writePackage", () => {
  it("replaces the generated files whole, keeps what generation does not write, and leaves nothing beside it", async () => {
    const changed = await writePackage(dir, generated(next));
    expect(changed.map((file) => path.relative(dir, file)).sort()).toEqual(["package.json", "src/generated/client.ts"]);
    expect(await contents(dir)).toEqual({ ...next, "CHANGELOG.md": "# history", "dist/index.js": "built" });
    expect(await readdir(clients)).toEqual(["widgets"]);
  });

  it("writes a package that did not exist", async () => {
    const fresh = path.join(clients, "gadgets");
    await writePackage(
      fresh,
      Object.entries(next).map(([file, content]) => ({ path: path.join(fresh, file), content })),
    );
    expect(await contents(fresh)).toEqual(next);
  });

  it("touches nothing when no file changed", async () => {
    const unchanged = Object.fromEntries(Object.entries(current).filter(([file]) => file.startsWith("src/")));
    expect(await writePackage(dir, generated(unchanged))).toEqual([]);
    expect(await contents(dir)).toEqual(current);
  });

  it("keeps the current package whole when the new one cannot be swapped in, and leaves nothing beside it", async () => {
    failing.renameInto = dir;
    await expect(writePackage(dir, generated(next))).rejects.toThrow("EIO");
    expect(await contents(dir)).toEqual(current);
    expect(await readdir(clients)).toEqual(["widgets"]);
  });
});

describe("recoverInterruptedSwaps", () => {
  it("puts back the package a run killed between its two renames had set aside, and removes what it staged", async () => {
    const pid = await deadPid();
    const aside = path.join(clients, `.widgets.${pid}.old`);
    const staged = path.join(clients, `.widgets.${pid}.new`);
    await rename(dir, aside);
    await writeTree(staged, next);
    expect(await recoverInterruptedSwaps(clients)).toEqual([{ path: aside, restored: dir }, { path: staged }]);
    expect(await contents(dir)).toEqual(current);
    expect(await readdir(clients)).toEqual(["widgets"]);
  });

  it("removes the set-aside package of a run killed after its swap, keeping the new one", async () => {
    const aside = path.join(clients, `.widgets.${await deadPid()}.old`);
    await writeTree(aside, { "package.json": "older manifest" });
    expect(await recoverInterruptedSwaps(clients)).toEqual([{ path: aside }]);
    expect(await contents(dir)).toEqual(current);
    expect(await readdir(clients)).toEqual(["widgets"]);
  });

  it("leaves alone what a run still going has staged", async () => {
    const staged = path.join(clients, `.widgets.${process.pid}.new`);
    await writeTree(staged, next);
    expect(await recoverInterruptedSwaps(clients)).toEqual([]);
    expect(await contents(staged)).toEqual(next);
  });

  it("finds nothing in a folder that does not exist yet", async () => {
    expect(await recoverInterruptedSwaps(path.join(clients, "no-such-folder"))).toEqual([]);
  });
});
