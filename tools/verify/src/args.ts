import { type ParseArgsConfig, parseArgs } from "node:util";

/** parseArgs, except that a flag it does not know prints the usage and exits 2 instead of a stack trace. */
export function parseOrExit<T extends ParseArgsConfig>(usage: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}

/** `name=value` flags as a record; a malformed one prints what was expected and exits 2. */
export function assignments(flag: string, values: string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((assignment) => {
      const at = assignment.indexOf("=");
      if (at <= 0) {
        console.error(`${flag} ${assignment}: expected <name>=<value>, e.g. ${flag} id=acme-corp`);
        process.exit(2);
      }
      return [assignment.slice(0, at), assignment.slice(at + 1)];
    }),
  );
}
