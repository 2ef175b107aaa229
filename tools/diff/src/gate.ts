import { readFile } from "node:fs/promises";
import path from "node:path";
import semver from "semver";
import { type Change, type Impact, maxImpact } from "./model.ts";

/** What the version gate says of one package: its changes since the base and the version they need. */
export interface VersionVerdict {
  status: "unchanged" | "changed" | "new";
  baseVersion?: string;
  headVersion: string;
  /** Every change, largest impact first. */
  changes: Change[];
  /** The largest impact of the changes. */
  impact?: Impact;
  /** The least version the changes allow. */
  neededVersion?: string;
  /** The gate: the version was bumped as far as the changes need. */
  ok: boolean;
  /** One line naming the package, what was needed and what was found. */
  verdict: string;
}

/** Each changed dependency of the package.json in `baseDir` and `headDir`: a patch change. */
export async function dependencyChanges(baseDir: string, headDir: string, source: Change["source"]): Promise<Change[]> {
  const dependencies = async (dir: string) =>
    (JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> })
      .dependencies ?? {};
  const [before, after] = [await dependencies(baseDir), await dependencies(headDir)];
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((name) => before[name] !== after[name])
    .map((name) => ({
      impact: "patch",
      source,
      pointer: `package.json#/dependencies/${name}`,
      message: `dependency ${name} ${before[name] ?? "(none)"} -> ${after[name] ?? "(none)"}`,
    }));
}

/** What the gate names: the package, where its version is kept and how to bump it. */
export interface Versioned {
  name: string;
  /** `info.version`, or `version` of a package.json. */
  field: string;
  file: string;
  fix: string;
}

/** The gate for one package: the least version its changes allow, and whether it was reached. */
export function judge(
  { name, field, file, fix }: Versioned,
  baseVersion: string,
  headVersion: string,
  changes: Change[],
  baseLabel: string,
): Pick<VersionVerdict, "impact" | "neededVersion" | "ok" | "verdict"> {
  if (!semver.valid(baseVersion))
    return {
      ok: false,
      verdict: `${name}: ${field} "${baseVersion}" at ${baseLabel} is not a semver version (x.y.z); fix it at the base or pass another --base.`,
    };
  if (!semver.valid(headVersion))
    return {
      ok: false,
      verdict: `${name}: ${field} "${headVersion}" in ${file} is not a semver version (x.y.z).`,
    };
  const impact = changes.reduce<Impact | undefined>((largest, change) => maxImpact(largest, change.impact), undefined);
  const neededVersion = impact ? semver.inc(baseVersion, impact)! : baseVersion;
  const needed = impact
    ? `${impact} changes since ${baseLabel} need ${field} ${neededVersion} or later`
    : `no contract change since ${baseLabel}: ${field} may not go below ${baseVersion}`;
  const ok = semver.gte(headVersion, neededVersion);
  const verdict = ok
    ? `${name}: ${needed}; found ${headVersion}: ok.`
    : `${name}: ${needed} in ${file}; found ${headVersion}. ${fix}`;
  return { ...(impact && { impact }), neededVersion, ok, verdict };
}

const impactOrder: Record<Impact, number> = { major: 0, minor: 1, patch: 2 };
export const largestFirst = (changes: Change[]) =>
  changes.sort((a, b) => impactOrder[a.impact] - impactOrder[b.impact]);

export const versionOf = (manifest: string) => String((JSON.parse(manifest) as { version?: unknown }).version ?? "");
