#!/usr/bin/env node
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { coloursOn, parseCli } from "@contracts/cli";
import { repoRelative, repoRoot } from "@contracts/spec";
import { formatDiagnostics, typecheckProjects, workspaceProjects } from "./index.ts";

const usage = `Usage: contracts-typecheck [--report <file>]

Type-checks every workspace package that has a tsconfig.json, in one TypeScript program,
and prints a verdict per package. Exits 1 when any package has an error.
  --report <file>   also write the verdicts there as JSON ({ passed, failed, projects })`;

const { values } = parseCli(usage, { options: { report: { type: "string" } } });

const verdicts = typecheckProjects(await workspaceProjects(repoRoot));
const errors = verdicts.flatMap((verdict) => verdict.diagnostics);
if (errors.length > 0) console.error(formatDiagnostics(errors, repoRoot, coloursOn(process.stderr)));
for (const { name, directory, diagnostics } of verdicts) {
  const where = repoRelative(directory);
  console.log(
    diagnostics.length === 0 ? `ok    ${name} (${where})` : `FAIL  ${name} (${where}): ${diagnostics.length} error(s)`,
  );
}
const failed = verdicts.filter((verdict) => verdict.diagnostics.length > 0).length;
const passed = verdicts.length - failed;
console.log(`Type-checked ${verdicts.length} packages: ${passed} passed, ${failed} failed`);

if (values.report) {
  const report = path.resolve(values.report);
  await mkdir(path.dirname(report), { recursive: true });
  const projects = verdicts.map(({ name, directory, diagnostics }) => ({
    name,
    directory: repoRelative(directory),
    errors: diagnostics.length,
  }));
  await writeFile(report, `${JSON.stringify({ passed, failed, projects }, null, 2)}\n`);
}
process.exitCode = failed > 0 ? 1 : 0;
