#!/usr/bin/env node
import { existsSync } from "node:fs";
import path from "node:path";
import { exitWith, parseCli } from "@contracts/cli";
import { clientPackagesDir, listApis, repoRelative, repoRoot } from "@contracts/spec";
import { recoverInterruptedSwaps } from "./files.ts";
import { clientPackageDir, generate, SpecError, UnknownApiError } from "./index.ts";

const usage = `Usage: contracts-codegen [api-id ...] [--check] [--root <dir>] [--help]

Generates packages/clients/<id> for each API of redocly.yaml (all when none is named). An API
whose spec cannot be generated keeps its package as it was, the others are generated, and the
command exits 1 naming every such API with the problem's file and place.
  --check        write nothing; exit 1 naming every generated file that differs from its spec
  --root <dir>   the repository whose redocly.yaml lists the specs and whose packages/clients it writes (default: this one)`;

const { values, positionals } = parseCli(usage, {
  allowPositionals: true,
  options: { check: { type: "boolean", default: false }, root: { type: "string" } },
});

const root = values.root === undefined ? repoRoot : path.resolve(values.root);

/** Why an API was not generated: a located spec problem as it is, anything else with its stack (a generator bug). */
const described = (error: Error) => (error instanceof SpecError ? error.message : (error.stack ?? error.message));

try {
  const withoutPackage = (await listApis(root))
    .filter((api) => !existsSync(clientPackageDir(api)))
    .map((api) => api.id);
  if (!values.check) {
    for (const leftover of await recoverInterruptedSwaps(clientPackagesDir(root)))
      console.log(
        leftover.restored
          ? `  put ${repoRelative(leftover.restored, root)} back from ${repoRelative(leftover.path, root)} (a killed run had set it aside)`
          : `  removed ${repoRelative(leftover.path, root)} (left by a killed run)`,
      );
  }
  const result = await generate({ apis: positionals, check: values.check, root });
  if (values.check) {
    if (result.stale.length > 0) {
      console.error(`Generated files are out of date with their specs:`);
      for (const file of result.stale) console.error(`  ${repoRelative(file.path, root)} (${file.reason})`);
      console.error("Run `npm run generate` and commit the result.");
    } else if (result.apis.length > 0) {
      console.log(`Generated clients are up to date (${result.apis.join(", ")}).`);
    }
  } else {
    for (const file of result.changed) console.log(`  wrote ${repoRelative(file, root)}`);
    if (result.apis.length > 0)
      console.log(`Generated ${result.apis.join(", ")}: ${result.changed.length} file(s) changed.`);
    const newIds = withoutPackage.filter((id) => result.apis.includes(id));
    if (newIds.length > 0)
      console.log(`New package(s) ${newIds.join(", ")}: run \`npm install\` to link them into the workspace.`);
  }
  // The located problems come last: under `npm start` nothing else may bury them.
  const failed = result.failures.map((failure) => failure.api);
  if (failed.length > 0) {
    const unchanged = failed.length === 1 ? "its package is unchanged" : "their packages are unchanged";
    console.error(
      values.check ? `Not checked: ${failed.join(", ")}.` : `Not generated: ${failed.join(", ")} (${unchanged}).`,
    );
    for (const { error } of result.failures) console.error(described(error));
  }
  if (result.stale.length > 0 || failed.length > 0) process.exitCode = 1;
} catch (error) {
  if (error instanceof UnknownApiError) exitWith(`No file was changed. ${error.message}`);
  throw error;
}
