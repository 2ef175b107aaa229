import type { HttpMethod, Operation } from "./operations.ts";

/** The methods RFC 9110 calls idempotent: a repeat leaves the state one request would. */
const idempotentMethods: readonly HttpMethod[] = ["get", "head", "options", "trace", "put", "delete"];

/** Whether a client retries an operation by default, and why in words (for READMEs and test names). */
export interface RetryRule {
  retried: boolean;
  because: string;
}

/**
 * The retry rule of the generated clients: an operation's `x-idempotent: true|false` where the
 * spec declares it, else whether HTTP calls its method idempotent. So POST and PATCH are retried
 * only where the spec says so: what a PATCH body does twice is the API's to say, not the
 * generator's. Codegen writes it into each client; the contract cases expect it.
 */
export function retryRuleOf(operation: Operation): RetryRule {
  const declared = (operation.object as { "x-idempotent"?: unknown })["x-idempotent"];
  if (typeof declared === "boolean")
    return { retried: declared, because: `the spec declares \`x-idempotent: ${declared}\`` };
  const retried = idempotentMethods.includes(operation.method);
  return {
    retried,
    because: `HTTP ${retried ? "calls" : "does not call"} ${operation.method.toUpperCase()} idempotent`,
  };
}
