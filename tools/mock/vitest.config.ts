import { defineConfig } from "vitest/config";

// Every test starts real servers and lints and loads specs into Prism: seconds on a machine running the
// rest of the test command beside it, so the limit is generous (no assertion times anything).
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 30_000 } });
