import { defineConfig } from "vitest/config";

/**
 * The one vitest configuration of every package (each package's vitest.config.ts re-exports it).
 *
 * Many suites do real work: servers, child processes, compilers, installs, a browser. On a machine
 * busy with other work (the rest of the test command, another build) that takes many times longer
 * than on an idle one, so no assertion times anything and waits are on events; these limits only
 * stop a hang.
 */
const hangLimit = 10 * 60_000;

export default defineConfig({
  test: {
    testTimeout: hangLimit,
    hookTimeout: hangLimit,
    teardownTimeout: hangLimit,
    // A fixed order other than the source's: a test that leans on what another left behind fails on
    // every run, not by chance.
    sequence: { shuffle: { files: false, tests: true }, seed: 23 },
  },
});
