#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseCli } from "@contracts/cli";
import { clientPackageDir, SpecError, UnknownApiError } from "@contracts/codegen";
import { repoRelative, repoRoot } from "@contracts/spec";
import { diffApis, formatReport, GitError, writeChangelog } from "./index.ts";

const usage = `Usage: contracts-diff [api-id ...] [--base <git ref>] [--changelog]

Lists every contract change of each spec since the base (wire changes rated by redocly diff,
and what the generated client package exports) and, when no API is named, of client-core's
exports; exits 1 when a spec's info.version, or client-core's version, was not bumped as far
as its changes need.
  --base <ref>   compare with this commit (default: the merge-base of HEAD with main)
  --changelog    also write each changed API's entry into packages/clients/<id>/CHANGELOG.md`;

const { values, positionals } = parseCli(usage, {
  allowPositionals: true,
  options: { base: { type: "string" }, changelog: { type: "boolean", default: false } },
});

try {
  const result = await diffApis({ apis: positionals, ...(values.base && { base: values.base }) });
  console.log(formatReport(result));
  if (values.changelog) {
    for (const api of result.apis.filter((candidate) => candidate.ok)) {
      const dir = clientPackageDir({ id: api.id, root: repoRoot });
      const { name } = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { name: string };
      if (await writeChangelog(api, dir, name))
        console.log(`wrote ${repoRelative(path.join(dir, "CHANGELOG.md"), repoRoot)} (${api.headVersion})`);
    }
  }
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  if (error instanceof GitError || error instanceof SpecError || error instanceof UnknownApiError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
