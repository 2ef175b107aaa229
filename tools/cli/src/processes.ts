/** A spawned CLI with its stdout and stderr interleaved (execa's `all: true`), settling when it exits. */
export interface SpawnedCli extends PromiseLike<unknown> {
  all: NodeJS.ReadableStream;
}

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
    child.then(() => reject(new Error(`the CLI exited before printing "${ready}":\n${output}`)));
  });
}
