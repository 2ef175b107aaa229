import { fileURLToPath } from "node:url";
import { startMocks } from "@contracts/mock";
import { apiKeyEnvOf, listApis } from "@contracts/spec";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";

// About the project's specs, not the verify tool (whose tests use fixture specs): each spec's own
// mock must pass `npm run verify -- <id> --write`, so this re-runs whenever a spec changes.
/** The verify CLI, found beside the module its package exports. */
const cli = fileURLToPath(new URL("cli.ts", import.meta.resolve("@contracts/verify")));
const apis = await listApis();
/** Distinctive, so a leak is easy to spot. */
const testKey = "verify-test-key-5d1e8b";

let mocks: Awaited<ReturnType<typeof startMocks>>;
beforeAll(async () => {
  mocks = await startMocks();
  return () => mocks.stop();
});

describe("npm run verify -- <id> --write against the project's own mock", () => {
  it.each(apis)("$id: exits 0, every case conforms", async (api) => {
    const run = await execa(process.execPath, [cli, api.id, "--upstream", mocks.urls[api.id]!, "--write"], {
      reject: false,
      all: true,
      env: { [apiKeyEnvOf(api.id)]: testKey, NODE_NO_WARNINGS: "1" },
    });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^${api.id}: \\d+ cases, (\\d+) conform, 0 break the contract \\(0 violations\\)\\.$`, "m"),
    );
  });
});
