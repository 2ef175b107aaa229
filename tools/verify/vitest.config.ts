import { defineConfig } from "vitest/config";

// Every test starts real servers and loads the spec into Prism, and the CLI tests start Node
// processes: on a loaded machine that takes seconds, so the limit is generous (no assertion times anything).
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
