import type { ResultPromise } from "execa";

/** A CLI spawned by a test with its stdout and stderr interleaved (`all: true`) and no rejection on exit. */
export type SpawnedCli = ResultPromise<{ all: true; reject: false }>;

/**
 * Resolves once the CLI has printed `ready` (its serving line, or any text matching a pattern) from
 * the call on, with a function returning all it printed since; rejects with that output if it exits
 * first. `onOutput` sees every chunk.
 */
export function untilOutput(
  child: SpawnedCli,
  ready: string | RegExp,
  onOutput: (text: string) => void = () => {},
): Promise<() => string> {
  let output = "";
  const isReady = () => (typeof ready === "string" ? output.includes(ready) : ready.test(output));
  return new Promise((resolve, reject) => {
    child.all.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      onOutput(chunk.toString());
      if (isReady()) resolve(() => output);
    });
    void child.then(() => reject(new Error(`the CLI exited before printing "${ready}":\n${output}`)));
  });
}
