// What a client does where neither `createClient` nor a call says otherwise. The runtime reads
// the constants (a minifier inlines them); `clientDefaults` gathers them for the generated docs,
// which state them from here, never from a copy, and is left out of an app's bundle unless imported.

/** Milliseconds for a whole call, retries and waits included. */
export const defaultTimeout = 60_000;
/** Retries of an operation whose repeat is safe; 0 for any other. */
export const defaultMaxRetries = 2;
/** The answers worth another try: these statuses, and every status from `retriedFrom` on. */
export const retriedStatuses = [408, 409, 429] as const;
export const retriedFrom = 500;
/** The wait before retry n (0-based) where the server asks for none: `initialMs * 2^n`, at most `maxMs`, less up to `jitter` of it. */
export const backoff = { initialMs: 500, maxMs: 8_000, jitter: 0.25 } as const;

export const clientDefaults = {
  timeout: defaultTimeout,
  maxRetries: defaultMaxRetries,
  retriedStatuses,
  retriedFrom,
  backoff,
} as const;
