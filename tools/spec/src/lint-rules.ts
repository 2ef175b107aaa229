// A module of its own so that the verdict cache (spec-cache.ts) names it without importing the
// registry (apis.ts), which imports the cache: no import cycle.
/**
 * The lint rules every spec is held to, in a file of their own that redocly.yaml extends: what reads
 * only the rules (a client's tests) does not depend on the list of APIs, so registering one leaves
 * the others' cached tasks valid.
 */
export const lintRulesFile = "lint-rules.yaml";
