import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Api, apiById, lintRulesFile, loadSpec, SpecError, specCacheDir } from "../src/index.ts";
import { fingerprintOf, keepSpec } from "../src/spec-cache.ts";

let root: string;
let api: Api;

const registry = (rules: string) =>
  `apis:\n  widgets: { root: specs/widgets.yaml }\nextends: [minimal]\nrules:\n${rules}`;

/** A spec whose one response schema lives in a file of its own. */
const spec = (summary: string) => `openapi: 3.1.0
info: { title: Widgets, version: 1.0.0 }
paths:
  /widgets:
    get:
      operationId: listWidgets
      summary: ${summary}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "./widget.yaml" }
`;

async function write(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), content);
}

/**
 * Marks the kept document: a later load that returns the mark was served from the cache, one
 * that does not linted the spec again.
 */
async function markCachedDocument(): Promise<void> {
  const file = path.join(specCacheDir(root), "widgets.json");
  const kept = JSON.parse(await readFile(file, "utf8")) as { document: { info: { title: string } } };
  kept.document.info.title = "from the cache";
  await writeFile(file, JSON.stringify(kept));
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "spec-cache-"));
  // An installed repository: only one with a node_modules of its own keeps verdicts.
  await mkdir(path.join(root, "node_modules"));
  await write("redocly.yaml", registry("  operation-summary: error\n"));
  await write("specs/widgets.yaml", spec("List widgets"));
  await write("specs/widget.yaml", "type: object\n");
  api = await apiById("widgets", root);
  await loadSpec(api);
  await markCachedDocument();
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("loadSpec's verdict cache", () => {
  it("keeps a verdict under the files as they were linted: a spec saved during the lint is linted again", async () => {
    await write("specs/widgets.yaml", spec("List every widget"));
    const linted = (await fingerprintOf(api))!;
    // The user saves again while Redocly judges the version before.
    await write("specs/widgets.yaml", spec("List the widgets"));
    await keepSpec(api, linted, { ...(await loadSpec(api)), info: { title: "judged before the save", version: "1" } });
    expect((await loadSpec(api)).info.title).toBe("Widgets");
    expect(JSON.stringify(await loadSpec(api))).toContain('"summary":"List the widgets"');
  });

  it("serves an unchanged spec that passed from the cache", async () => {
    expect((await loadSpec(api)).info.title).toBe("from the cache");
  });

  it("lints again when the spec changes, and refuses what now breaks a rule", async () => {
    await write("specs/widgets.yaml", spec("List all widgets"));
    expect((await loadSpec(api)).info.title).toBe("Widgets");
    await write("specs/widgets.yaml", spec('""'));
    await expect(loadSpec(api)).rejects.toThrow(SpecError);
    await expect(loadSpec(api)).rejects.toThrow(/specs\/widgets\.yaml:\d+:\d+ .*operation-summary/);
  });

  it("lints again when a file the spec references changes", async () => {
    await write("specs/widget.yaml", "type: object\nproperties: { name: { type: string } }\n");
    const document = await loadSpec(api);
    expect(document.info.title).toBe("Widgets");
    expect(JSON.stringify(document)).toContain('"name"');
  });

  it("lints again when redocly.yaml changes", async () => {
    await write("redocly.yaml", registry("  operation-summary: error\n  info-license: warn\n"));
    expect((await loadSpec(api)).info.title).toBe("Widgets");
  });

  it("lints again when lint-rules.yaml changes (the rules redocly.yaml extends)", async () => {
    await write(lintRulesFile, "rules:\n  operation-description: error\n");
    expect((await loadSpec(api)).info.title).toBe("Widgets");
  });

  it("keeps nothing for a root without a node_modules of its own, or one linking another's", async () => {
    const linked = await mkdtemp(path.join(tmpdir(), "spec-cache-linked-"));
    try {
      await cp(root, linked, { recursive: true, filter: (source) => !source.includes("node_modules") });
      const unlinked = await apiById("widgets", linked);
      await loadSpec(unlinked);
      expect(existsSync(specCacheDir(linked))).toBe(false);
      await symlink(path.join(root, "node_modules"), path.join(linked, "node_modules"));
      await loadSpec(unlinked);
      expect(await readdir(specCacheDir(root))).toEqual(["widgets.json"]);
      expect((await loadSpec(api)).info.title).toBe("from the cache");
    } finally {
      await rm(linked, { recursive: true, force: true });
    }
  });
});
