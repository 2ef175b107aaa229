#!/usr/bin/env node
import { existsSync } from "node:fs";
import { exitWith, parseCli } from "@contracts/cli";
import { clientPackagesDir, listApis, repoRelative } from "@contracts/spec";
import { recoverInterruptedSwaps } from "./files.ts";
import { clientPackageDir, generate, SpecError, UnknownApiError } from "./index.ts";

const usage = `Usage: contracts-codegen [api-id ...] [--check] [--help]

Generates packages/clients/<id> for each API of redocly.yaml (all when none is named).
  --check   write nothing; exit 1 naming every generated file that differs from its spec`;

const { values, positionals } = parseCli(usage, {
  allowPositionals: true,
  options: { check: { type: "boolean", default: false } },
});

try {
  const withoutPackage = (await listApis()).filter((api) => !existsSync(clientPackageDir(api))).map((api) => api.id);
  if (!values.check) {
    for (const leftover of await recoverInterruptedSwaps(clientPackagesDir()))
      console.log(
        leftover.restored
          ? `  put ${repoRelative(leftover.restored)} back from ${repoRelative(leftover.path)} (a killed run had set it aside)`
          : `  removed ${repoRelative(leftover.path)} (left by a killed run)`,
      );
  }
  const result = await generate({ apis: positionals, check: values.check });
  if (values.check) {
    if (result.stale.length > 0) {
      console.error(`Generated files are out of date with their specs:`);
      for (const file of result.stale) console.error(`  ${repoRelative(file.path)} (${file.reason})`);
      console.error("Run `npm run generate` and commit the result.");
      process.exit(1);
    }
    console.log(`Generated clients are up to date (${result.apis.join(", ")}).`);
  } else {
    for (const file of result.changed) console.log(`  wrote ${repoRelative(file)}`);
    console.log(`Generated ${result.apis.join(", ")}: ${result.changed.length} file(s) changed.`);
    const newIds = withoutPackage.filter((id) => result.apis.includes(id));
    if (newIds.length > 0)
      console.log(`New package(s) ${newIds.join(", ")}: run \`npm install\` to link them into the workspace.`);
  }
} catch (error) {
  // The located problems come last: under `npm start` nothing else may bury them.
  if (error instanceof SpecError || error instanceof UnknownApiError) exitWith(`No file was changed. ${error.message}`);
  throw error;
}
