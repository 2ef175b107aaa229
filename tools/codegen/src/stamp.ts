import { createHash } from "node:crypto";
import { glob, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { keepsVerdicts, repoRoot } from "@contracts/spec";
import type { GeneratedFile } from "./files.ts";

/**
 * What a client package was last generated from, and what it was: an unchanged spec with an
 * unchanged generator skips the model, the emitters and the formatter. Kept beside loadSpec's
 * verdicts, in an installed repository only (see `keepsVerdicts`); a package edited by hand since
 * (a file's hash differs) is generated again.
 */
interface Stamp {
  inputs: string;
  /** Each generated file's hash, by its path relative to the repository. */
  files: Record<string, string>;
}

const sha256 = (content: string | Buffer) => createHash("sha256").update(content).digest("hex");

/** What a package's output rests on besides the generator's code: the formatter's settings, every dependency's version. */
const generatorSettings = ["biome.json", "package-lock.json"];

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

/**
 * The files whose output a package is: the sources and manifest of codegen and of every workspace
 * package its manifests' `dependencies` reach (the layering check holds each source's imports to
 * them, so a new import or a new tool cannot be left out), then the generator's settings.
 */
export async function generatorSources(root: string): Promise<string[]> {
  const { workspaces } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  const packages = new Map<string, { folder: string; manifest: Manifest }>();
  for await (const file of glob(
    workspaces.map((pattern) => `${pattern}/package.json`),
    { cwd: root },
  )) {
    const manifest = JSON.parse(await readFile(path.join(root, file), "utf8")) as Manifest;
    packages.set(manifest.name, { folder: path.dirname(file), manifest });
  }
  const files: string[] = [];
  const reached = new Set<string>();
  const visit = async (name: string) => {
    const found = packages.get(name);
    if (!found || reached.has(name)) return;
    reached.add(name);
    files.push(path.join(found.folder, "package.json"));
    for await (const entry of glob(`${found.folder}/src/**/*`, { cwd: root, withFileTypes: true }))
      if (entry.isFile()) files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
    for (const dependency of Object.keys(found.manifest.dependencies ?? {})) await visit(dependency);
  };
  await visit("@contracts/codegen");
  return [...files.sort(), ...generatorSettings];
}

let generator: Promise<string> | undefined;

/** One hash of the generator's sources, taken once per process. */
function generatorFingerprint(): Promise<string> {
  generator ??= (async () => {
    const files = await generatorSources(repoRoot);
    const hashes = await Promise.all(
      files.map(async (file) => `${file} ${sha256(await readFile(path.join(repoRoot, file)))}`),
    );
    return sha256(hashes.join("\n"));
  })();
  return generator;
}

/** What a package is generated from: the generator, the spec as loaded, and what the package takes from client-core. */
export async function inputsOf(apiId: string, document: unknown, core: unknown): Promise<string> {
  return sha256([await generatorFingerprint(), apiId, JSON.stringify(core), JSON.stringify(document)].join("\n"));
}

const stampFile = (root: string, apiId: string) =>
  path.join(root, "node_modules", ".cache", "contracts-codegen", `${apiId}.json`);

/** Whether the package was generated from `inputs` and its files are still as generated. */
export async function upToDate(root: string, apiId: string, inputs: string): Promise<boolean> {
  if (!(await keepsVerdicts(root))) return false;
  const stamp = await readFile(stampFile(root, apiId), "utf8").then(
    (text) => JSON.parse(text) as Stamp,
    () => undefined,
  );
  if (stamp?.inputs !== inputs) return false;
  const current = await Promise.all(
    Object.entries(stamp.files).map(async ([file, hash]) =>
      readFile(path.join(root, file)).then(
        (content) => sha256(content) === hash,
        () => false,
      ),
    ),
  );
  return current.every(Boolean);
}

/** Records the files generated from `inputs` (written, or found equal by a check). */
export async function remember(root: string, apiId: string, inputs: string, files: GeneratedFile[]): Promise<void> {
  if (!(await keepsVerdicts(root))) return;
  const stamp: Stamp = {
    inputs,
    files: Object.fromEntries(files.map((file) => [path.relative(root, file.path), sha256(file.content)])),
  };
  const target = stampFile(root, apiId);
  await mkdir(path.dirname(target), { recursive: true });
  // Written aside, then renamed: a killed run leaves no half stamp.
  await writeFile(`${target}.${process.pid}`, JSON.stringify(stamp));
  await rename(`${target}.${process.pid}`, target);
}
