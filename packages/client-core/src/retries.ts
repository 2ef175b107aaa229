import { backoff, retriedFrom, retriedStatuses } from "./defaults.ts";

/** Answers worth another try: the server timed out, conflicted, throttled or failed. */
export function isRetryable(status: number): boolean {
  return (retriedStatuses as readonly number[]).includes(status) || status >= retriedFrom;
}

/**
 * Milliseconds to wait before retry number `retry` (0-based): what the server asks for
 * (`retry-after-ms`, then `Retry-After` in seconds or as an HTTP date), else exponential
 * backoff from 0.5 s up to 8 s with up to 25% jitter, as the Stainless SDKs do.
 */
export function retryDelay(headers: Headers | undefined, retry: number, now = Date.now()): number {
  const milliseconds = Number.parseFloat(headers?.get("retry-after-ms") ?? "");
  if (milliseconds >= 0) return milliseconds;
  const retryAfter = headers?.get("retry-after")?.trim();
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return Math.min(backoff.initialMs * 2 ** retry, backoff.maxMs) * (1 - Math.random() * backoff.jitter);
}

/** Waits, or rejects with the signal's reason as soon as it aborts (at once if it already has). */
export function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    signal.addEventListener("abort", onAbort, { once: true });
    // An abort before the wait began fires no event.
    if (signal.aborted) onAbort();
  });
}
