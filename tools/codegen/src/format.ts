import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import { execa } from "execa";
import type { GeneratedFile } from "./files.ts";

/**
 * The modules esbuild lays out (Ajv's standalone code bundled, `ajv.ts`): nobody reads or diffs their
 * layout, and Biome took 5 s over a large API's 15 MB of them (OpenAI's), as long as the rest of a generation.
 */
const bundledByEsbuild = new Set(["validators.ts", "request-validators.ts"]);

/**
 * What Biome formats: TypeScript and JSON we print. Markdown it leaves as written, and the type tests too:
 * a `@ts-expect-error` directive holds for the one line below it, which a wrapped call would split.
 */
const formattable = (file: string) =>
  /\.(ts|json)$/.test(file) && !file.endsWith(".test-d.ts") && !bundledByEsbuild.has(path.basename(file));

/** The repository's Biome, the one `npm run biome` runs. */
const biomeBin = () =>
  path.join(path.dirname(createRequire(import.meta.url).resolve("@biomejs/biome/package.json")), "bin", "biome");

/** The formatting sections of the repository's biome.json: the generated files follow the code's style. */
async function formatterSettings(): Promise<object> {
  const config = JSON.parse(await readFile(path.join(repoRoot, "biome.json"), "utf8")) as Record<string, unknown>;
  const javascript = config.javascript as { formatter?: unknown } | undefined;
  return {
    root: true,
    // The scratch folder is no repository (Biome's ignore-file walk panics outside one).
    vcs: { enabled: false },
    // Biome's 1 MiB default would leave a large API's types unformatted.
    files: { maxSize: 2 ** 30 },
    formatter: config.formatter,
    javascript: { formatter: javascript?.formatter },
  };
}

/**
 * `files` formatted by the repository's formatter (Biome, with the settings of this repository's
 * biome.json, wherever the packages are generated), so a generated diff shows only meaning. One Biome run for them all, in a scratch
 * folder: Biome formats files only under its project root, and the repository's own configuration
 * leaves the generated packages out of its checks.
 */
export async function formatted(files: GeneratedFile[]): Promise<GeneratedFile[]> {
  const chosen = files.filter((file) => formattable(file.path));
  if (chosen.length === 0) return files;
  const scratch = await mkdtemp(path.join(tmpdir(), "codegen-format-"));
  try {
    await writeFile(path.join(scratch, "biome.json"), JSON.stringify(await formatterSettings()));
    const placeOf = new Map(
      chosen.map((file, index) => [file, path.join(scratch, String(index), path.basename(file.path))]),
    );
    await Promise.all(
      chosen.map(async (file) => {
        await mkdir(path.dirname(placeOf.get(file)!), { recursive: true });
        await writeFile(placeOf.get(file)!, file.content);
      }),
    );
    // A file Biome cannot parse is a generator defect that the package's build then names with its place: it is left as written.
    await execa(biomeBin(), ["format", "--write", "--colors=off", scratch], { cwd: scratch, reject: false });
    return await Promise.all(
      files.map(async (file) =>
        placeOf.has(file) ? { path: file.path, content: await readFile(placeOf.get(file)!, "utf8") } : file,
      ),
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
