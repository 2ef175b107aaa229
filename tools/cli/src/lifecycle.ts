import { watchLaunchers } from "./launchers.ts";

export interface Stoppable {
  stop(): Promise<void>;
}

/** How long a stop may take before the process exits anyway: everything runs in this process, so exiting frees it. */
const stopGraceMs = 3000;

/**
 * Runs a long-running service (mocks, dev loop, proxies, cache server) until it is told to stop:
 * SIGINT, SIGTERM, SIGHUP or the death of a launching npm (see watchLaunchers). The handlers are
 * installed before `start`, so a signal during start-up stops what has started. Stopping prints
 * "<reason>: stopping the <label>.", calls `stop` and exits 0 (after at most stopGraceMs).
 * Errors of `start` reach the caller, which reports them.
 */
export async function runUntilStopped<T extends Stoppable>(label: string, start: () => Promise<T>): Promise<T> {
  let running: T | undefined;
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping the ${label}.`);
    setTimeout(() => process.exit(0), stopGraceMs).unref();
    void (running?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => shutdown(signal));
  watchLaunchers(shutdown);
  running = await start();
  return running;
}
