import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { inputsOf, remember, upToDate } from "../src/stamp.ts";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

/** A repository root with a generated file, installed (a node_modules of its own) or not. */
async function repository(installed: boolean) {
  const root = await mkdtemp(path.join(tmpdir(), "codegen-stamp-"));
  roots.push(root);
  if (installed) await mkdir(path.join(root, "node_modules"));
  const file = { path: path.join(root, "packages", "clients", "acme", "src", "index.ts"), content: "export {};\n" };
  await mkdir(path.dirname(file.path), { recursive: true });
  await writeFile(file.path, file.content);
  return { root, file };
}

describe("the generation stamp", () => {
  it("holds while the spec, the generator and the files are as generated", async () => {
    const { root, file } = await repository(true);
    const inputs = await inputsOf("acme", { openapi: "3.1.0" }, { version: "1.0.0" });
    expect(await upToDate(root, "acme", inputs)).toBe(false);
    await remember(root, "acme", inputs, [file]);
    expect(await upToDate(root, "acme", inputs)).toBe(true);
  });

  it("fails on another spec, another client-core, or a file edited by hand", async () => {
    const { root, file } = await repository(true);
    const inputs = await inputsOf("acme", { openapi: "3.1.0" }, { version: "1.0.0" });
    await remember(root, "acme", inputs, [file]);
    expect(await upToDate(root, "acme", await inputsOf("acme", { openapi: "3.1.1" }, { version: "1.0.0" }))).toBe(
      false,
    );
    expect(await upToDate(root, "acme", await inputsOf("acme", { openapi: "3.1.0" }, { version: "1.0.1" }))).toBe(
      false,
    );
    await writeFile(file.path, "export const edited = true;\n");
    expect(await upToDate(root, "acme", inputs)).toBe(false);
  });

  it("is kept only in an installed repository", async () => {
    const { root, file } = await repository(false);
    const inputs = await inputsOf("acme", {}, {});
    await remember(root, "acme", inputs, [file]);
    expect(await upToDate(root, "acme", inputs)).toBe(false);
  });
});
