import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ApiDiff } from "./index.ts";
import { type Change, impacts } from "./model.ts";

const headings = { major: "Major Changes", minor: "Minor Changes", patch: "Patch Changes" } as const;

function entry(change: Change): string {
  const where = [change.operation && `\`${change.operation}\``, `\`${change.pointer}\``].filter(Boolean).join(" ");
  return `- ${where}: ${change.message}${change.source === "client" ? " (generated client)" : ""}`;
}

/** The section of one version, in the format changesets writes: `## 1.1.0`, then `### Minor Changes`. */
export function changelogSection(api: ApiDiff): string {
  if (api.status === "new") return `## ${api.headVersion}\n\nFirst version, generated from \`${api.specFile}\`.\n`;
  const groups = [...impacts].reverse().flatMap((impact) => {
    const changes = api.changes.filter((change) => change.impact === impact);
    return changes.length === 0 ? [] : [`### ${headings[impact]}\n\n${changes.map(entry).join("\n")}\n`];
  });
  return `## ${api.headVersion}\n\n${groups.join("\n")}`;
}

/**
 * Puts the section of the API's current version into `<packageDir>/CHANGELOG.md`, newest first,
 * replacing an earlier section of the same version (so re-running after more edits keeps one
 * entry per version). Earlier versions' sections are history and stay as they are.
 * Returns false, writing nothing, when the API has no change to record. A new API gets its
 * first-version entry.
 */
export async function writeChangelog(api: ApiDiff, packageDir: string, packageName: string): Promise<boolean> {
  if (api.status === "unchanged" || (api.status === "changed" && api.changes.length === 0)) return false;
  const file = path.join(packageDir, "CHANGELOG.md");
  const current = await readFile(file, "utf8").catch(() => `# ${packageName}\n`);
  const [title = `# ${packageName}`, ...rest] = current.split(/\n(?=## )/);
  const sections = rest.filter((section) => !section.startsWith(`## ${api.headVersion}\n`));
  await writeFile(file, `${[`${title.trimEnd()}\n`, changelogSection(api), ...sections].join("\n").trimEnd()}\n`);
  return true;
}
