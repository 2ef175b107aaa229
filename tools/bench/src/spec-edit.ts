import { readFile, writeFile } from "node:fs/promises";
import { generate } from "@contracts/codegen";
import { listApis, repoRelative } from "@contracts/spec";
import { parseDocument } from "yaml";

/**
 * One spec's `info.description` edited, with the patch bump the version gate asks for, and put
 * back: the smallest change a user makes to a contract.
 */
export interface SpecEdit {
  apiId: string;
  /** The edited spec, relative to the repository. */
  spec: string;
  edit: () => Promise<void>;
  /** Puts the spec back and regenerates its client, so the tree is as it was. */
  restore: () => Promise<void>;
}

export async function specEdit(): Promise<SpecEdit> {
  const [api] = await listApis();
  const original = await readFile(api!.specPath, "utf8");
  let edits = 0;
  // Each edit says something new: an edit turbo has seen before would be replayed from its cache.
  const edited = () => {
    const document = parseDocument(original);
    edits += 1;
    const description = document.getIn(["info", "description"]) ?? "";
    document.setIn(["info", "description"], `${description} Edited by the benchmark (${Date.now()}-${edits}).`);
    const [major, minor, patch] = String(document.getIn(["info", "version"]))
      .split(".")
      .map(Number);
    document.setIn(["info", "version"], `${major}.${minor}.${(patch ?? 0) + 1}`);
    return document.toString();
  };
  return {
    apiId: api!.id,
    spec: repoRelative(api!.specPath),
    edit: () => writeFile(api!.specPath, edited()),
    restore: async () => {
      await writeFile(api!.specPath, original);
      await generate({ apis: [api!.id] });
    },
  };
}
