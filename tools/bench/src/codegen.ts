import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate } from "@contracts/codegen";
import { repoRoot } from "@contracts/spec";
import { parse, stringify } from "yaml";
import { measureCommand } from "./processes.ts";
import { specEdit } from "./spec-edit.ts";
import { type Sample, summarize } from "./stats.ts";

export interface RegenerationFigures {
  /** Nothing changed since the last generation: every spec's verdict is in loadSpec's cache. */
  generateAll: Sample;
  /** One spec's description edited first: that spec is linted again. */
  afterOneSpecEdit: Sample;
  plainOpenapiTs: Sample;
}

/** `npm run generate` (all APIs), as it is and after one spec edit, against one plain openapi-typescript run on one spec, interleaved. */
export async function measureRegeneration(runs: number): Promise<RegenerationFigures> {
  const output = path.join(await mkdtemp(path.join(tmpdir(), "bench-ots-")), "schema.ts");
  const edit = await specEdit();
  const all: number[] = [];
  const edited: number[] = [];
  const plain: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    all.push(await measureCommand("node", ["tools/codegen/src/cli.ts"], repoRoot));
    await edit.edit();
    try {
      edited.push(await measureCommand("node", ["tools/codegen/src/cli.ts"], repoRoot));
    } finally {
      await edit.restore();
    }
    // From a scratch directory: in the repository root the CLI would pick up redocly.yaml's API list.
    plain.push(
      await measureCommand(
        path.join(repoRoot, "node_modules", ".bin", "openapi-typescript"),
        [path.join(repoRoot, "specs", "bland.yaml"), "-o", output],
        path.dirname(output),
      ),
    );
  }
  await rm(path.dirname(output), { recursive: true, force: true });
  return { generateAll: summarize(all), afterOneSpecEdit: summarize(edited), plainOpenapiTs: summarize(plain) };
}

/** A spec of `count` operations: Bland's one, repeated under distinct paths and operationIds. */
async function syntheticSpec(count: number): Promise<string> {
  const spec = parse(await readFile(path.join(repoRoot, "specs", "bland.yaml"), "utf8")) as {
    paths: Record<string, { patch: { operationId: string } }>;
  };
  const [[template, item]] = Object.entries(spec.paths) as [[string, { patch: { operationId: string } }]];
  spec.paths = Object.fromEntries(
    Array.from({ length: count }, (_, index) => [
      `${template}/${index}`,
      { patch: { ...item.patch, operationId: `${item.patch.operationId}${index}` } },
    ]),
  );
  return stringify(spec);
}

/** In-process generation time of one synthetic API per size, to show the cost grows linearly. */
export async function measureGrowth(sizes: number[], runs: number): Promise<{ operations: number; time: Sample }[]> {
  const root = await mkdtemp(path.join(tmpdir(), "bench-growth-"));
  try {
    const registry = parse(await readFile(path.join(repoRoot, "redocly.yaml"), "utf8")) as { apis: unknown };
    registry.apis = { synthetic: { root: "specs/synthetic.yaml" } };
    await writeFile(path.join(root, "redocly.yaml"), stringify(registry));
    await cp(
      path.join(repoRoot, "packages", "client-core", "package.json"),
      path.join(root, "packages", "client-core", "package.json"),
    );
    await mkdir(path.join(root, "specs"));
    const results: { operations: number; time: Sample }[] = [];
    for (const operations of sizes) {
      await writeFile(path.join(root, "specs", "synthetic.yaml"), await syntheticSpec(operations));
      // Warm-up: module loading and the first write are not generation cost.
      const { failures } = await generate({ root });
      if (failures[0]) throw failures[0].error;
      const times: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        const started = performance.now();
        await generate({ root });
        times.push(performance.now() - started);
      }
      results.push({ operations, time: summarize(times) });
    }
    return results;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
