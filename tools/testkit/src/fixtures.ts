import { fileURLToPath } from "node:url";

/**
 * A scratch repository root with its own registry (redocly.yaml) of small fixture specs: the tools'
 * tests run against it, so a tool's tests never read the project's specs or generated clients.
 */
export const fixtureRoot = fileURLToPath(new URL("../fixtures/", import.meta.url));
