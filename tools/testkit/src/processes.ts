import type { ResultPromise } from "execa";

/** A CLI spawned by a test with its stdout and stderr interleaved (`all: true`) and no rejection on exit. */
export type SpawnedCli = ResultPromise<{ all: true; reject: false }>;

/**
 * Resolves once the CLI has printed `ready` (its serving line), with a function returning all it
 * printed so far; rejects with that output if it exits first. `onOutput` sees every chunk.
 */
export function untilOutput(
  child: SpawnedCli,
  ready: string,
  onOutput: (text: string) => void = () => {},
): Promise<() => string> {
  let output = "";
  return new Promise((resolve, reject) => {
    child.all.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      onOutput(chunk.toString());
      if (output.includes(ready)) resolve(() => output);
    });
    void child.then(() => reject(new Error(`the CLI exited before printing "${ready}":\n${output}`)));
  });
}
