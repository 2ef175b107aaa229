#!/usr/bin/env node
import path from "node:path";
import { parseCli } from "@contracts/cli";
import { corpusRoot } from "@contracts/fixtures";
import { failedSpecs, formatResults, runStages } from "./index.ts";

const usage = `Usage: contracts-corpus [--root <dir>] [--keep] [--help]

Takes every spec of a registry through lint, generate, build, typecheck, the generated type
tests, its mock and verify --write against that mock, in a scratch workspace, and prints a result
per spec and stage, then what verify reached of each. Exits 1 unless every spec passes every stage. Needs client-core built (\`npm run corpus\` builds it first).
  --root <dir>   the folder whose redocly.yaml lists the specs (default: the public corpus, ${path.relative(process.cwd(), corpusRoot)})
  --keep         keep the scratch workspace and print where, to read the generated packages`;

const { values } = parseCli(usage, {
  options: { root: { type: "string" }, keep: { type: "boolean", default: false } },
});

const started = performance.now();
const { specs, workspace } = await runStages({ registry: values.root ?? corpusRoot, keep: values.keep });
console.log(formatResults(specs));
for (const { coverage } of specs) if (coverage) console.log(`\n${coverage}`);
if (workspace) console.log(`\nThe scratch workspace is kept: ${workspace}`);
console.log(`\n${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failedSpecs(specs).length > 0 ? 1 : 0;
