#!/usr/bin/env node
import { parseArgs } from "node:util";
import { repoRelative, SpecError, UnknownApiError } from "@contracts/registry";
import { buildDocs } from "./index.ts";

const usage = `Usage: contracts-docs [api-id ...] [--out <dir>]

Writes a Redocly reference page per API of redocly.yaml (all when none is named) and an
index page linking them, to docs/reference/ (ignored by git). The pages render offline.
  --out <dir>  write to another folder`;

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { out: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}
const { values, positionals } = parseCommandLine();
if (values.help) {
  console.log(usage);
  process.exit(0);
}

try {
  const { pages, index } = await buildDocs({ apis: positionals, outDir: values.out });
  for (const page of pages) console.log(`  wrote ${repoRelative(page.file)} (${page.title} ${page.version})`);
  console.log(`Reference docs: ${repoRelative(index)} links ${pages.length} page(s).`);
} catch (error) {
  if (error instanceof SpecError || error instanceof UnknownApiError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
