#!/usr/bin/env node
import { parseCli } from "@contracts/cli";
import { GitError } from "@contracts/diff";
import { ReleaseRefused, release } from "./index.ts";

const usage = `Usage: contracts-release --registry <url> [--base <git ref>]

Publishes client-core and every client package whose version is not yet on the registry,
dependencies first. Refuses uncommitted changes and a failed version gate (npm run diff).
  --registry <url>  where to publish (the npm user config must hold its token)
  --base <ref>      the gate's base (default: the merge-base of HEAD with main)`;

const { values } = parseCli(usage, { options: { registry: { type: "string" }, base: { type: "string" } } });
if (!values.registry) {
  console.error(`--registry <url> is required.\n\n${usage}`);
  process.exit(2);
}

try {
  const result = await release({
    registry: values.registry,
    ...(values.base && { base: values.base }),
    log: (line) => console.log(line),
  });
  console.log(
    `Published ${result.published.length} package(s); ${result.unchanged.length} already on ${values.registry}.`,
  );
} catch (error) {
  if (error instanceof ReleaseRefused || error instanceof GitError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
