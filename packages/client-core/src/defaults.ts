/**
 * What a client does where neither `createClient` nor a call says otherwise. Exported so that what
 * the generated clients' docs state is read from here, never copied.
 */
export const clientDefaults = {
  /** Milliseconds for a whole call, retries and waits included. */
  timeout: 60_000,
  /** Retries of an operation whose repeat is safe; 0 for any other. */
  maxRetries: 2,
  /** The answers worth another try: these statuses, and every status from `retriedFrom` on. */
  retriedStatuses: [408, 409, 429],
  retriedFrom: 500,
  /** The wait before retry n (0-based) where the server asks for none: `initialMs * 2^n`, at most `maxMs`, less up to `jitter` of it. */
  backoff: { initialMs: 500, maxMs: 8_000, jitter: 0.25 },
} as const;
