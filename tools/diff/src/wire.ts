import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import type { Change, Impact } from "./model.ts";

/**
 * redocly diff's own config: `diff-recommended` is what rates changes above patch. It is kept apart
 * from redocly.yaml so that the lint rules every spec is held to stay the lint rules alone.
 */
export const diffConfig = fileURLToPath(new URL("../redocly-diff.yaml", import.meta.url));

interface Location {
  file: string;
  pointer: string;
  line: number;
}

/** The part of `redocly diff --format json` (report version 1) used here. */
interface RedoclyDiffReport {
  changes: {
    path: string;
    kind: string;
    impact: Impact;
    property?: string;
    verdicts: { ruleId: string; impact: Impact; message: string; location?: Location }[];
    base?: Location;
    revision?: Location;
  }[];
}

/** `PATCH /v1/orgs/{org_id}/properties` from `#/paths/~1v1~1orgs~1{org_id}~1properties/patch/...`. */
function operationOf(changePath: string): string | undefined {
  const [root, pathKey, method] = changePath.replace(/^#\//, "").split("/");
  if (root !== "paths" || !pathKey || !method) return undefined;
  return `${method.toUpperCase()} ${pathKey.replaceAll("~1", "/").replaceAll("~0", "~")}`;
}

/** What a location without a rule message says: `added responses/200/.../org_region`. */
function describe(change: RedoclyDiffReport["changes"][number]): string {
  const where = change.path
    .replace(/^#\/paths\/[^/]+\/[^/]+\//, "")
    .replace(/^#\//, "")
    .replaceAll("~1", "/");
  return `${change.kind} ${where}${change.property && change.property !== "key" ? ` (${change.property})` : ""}`;
}

/**
 * Every wire change from `baseFile` to `headFile`, rated by `redocly diff`. `label` turns the
 * files' paths into the `file:line` a user reads (the base is a temporary copy).
 */
export async function wireChanges(
  baseFile: string,
  headFile: string,
  label: (file: string) => string,
): Promise<Change[]> {
  const dir = await mkdtemp(path.join(tmpdir(), "contracts-diff-"));
  try {
    const output = path.join(dir, "report.json");
    const result = await execa(
      "redocly",
      ["diff", baseFile, headFile, "--config", diffConfig, "--format", "json", "--fail-on", "none", "-o", output],
      {
        cwd: dir,
        preferLocal: true,
        localDir: fileURLToPath(new URL("..", import.meta.url)),
        reject: false,
        all: true,
        env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      },
    );
    if (result.exitCode !== 0)
      throw new Error(`redocly diff ${baseFile} ${headFile} failed:\n${result.all || result.message}`);
    const report = JSON.parse(await readFile(output, "utf8")) as RedoclyDiffReport;
    return report.changes.flatMap((change) => {
      const operation = operationOf(change.path);
      const fallback = change.revision ?? change.base;
      const verdicts =
        change.verdicts.length > 0
          ? change.verdicts
          : [{ impact: change.impact, message: describe(change), location: fallback }];
      return verdicts.map((verdict): Change => {
        const location = verdict.location ?? fallback;
        return {
          impact: verdict.impact,
          source: "wire",
          ...(operation && { operation }),
          pointer: (location?.pointer ?? change.path).replace(/^#/, ""),
          message: verdict.message,
          ...(location && { location: `${label(path.resolve(dir, location.file))}:${location.line}` }),
        };
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
