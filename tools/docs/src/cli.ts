#!/usr/bin/env node
import { parseCli } from "@contracts/cli";
import { repoRelative, SpecError, UnknownApiError } from "@contracts/spec";
import { buildDocs } from "./index.ts";

const usage = `Usage: contracts-docs [api-id ...] [--out <dir>] [--root <dir>]

Writes a Redocly reference page per API of redocly.yaml (all when none is named) and an
index page linking them, to docs/reference/ (ignored by git). The pages render offline.
  --out <dir>   write to another folder
  --root <dir>  the repository whose redocly.yaml lists the APIs (default: this one)`;

const { values, positionals } = parseCli(usage, {
  allowPositionals: true,
  options: { out: { type: "string" }, root: { type: "string" } },
});

try {
  const { pages, index } = await buildDocs({ apis: positionals, root: values.root, outDir: values.out });
  for (const page of pages) console.log(`  wrote ${repoRelative(page.file)} (${page.title} ${page.version})`);
  console.log(`Reference docs: ${repoRelative(index)} links ${pages.length} page(s).`);
} catch (error) {
  if (error instanceof SpecError || error instanceof UnknownApiError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
