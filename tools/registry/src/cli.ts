import { type ParseArgsConfig, parseArgs } from "node:util";

export interface CliConfig extends Omit<ParseArgsConfig, "args" | "strict" | "tokens"> {
  /** Arguments after a `--` are not parsed but returned in `passThrough` (for a wrapped tool). */
  passThrough?: boolean;
}

/**
 * `node:util` parseArgs with every CLI's conventions, so no CLI repeats them: `--help`/`-h`
 * prints the usage and exits 0; an unknown flag, a missing value or a stray argument prints
 * what was wrong and the usage to stderr and exits 2 (never a stack trace).
 */
export function parseCli<T extends CliConfig>(usage: string, config: T, args = process.argv.slice(2)) {
  const end = config.passThrough ? args.indexOf("--") : -1;
  const own = end === -1 ? args : args.slice(0, end);
  const { passThrough: _passThrough, ...parseConfig } = config;
  const withHelp = { ...parseConfig, options: { ...config.options, help: { type: "boolean", short: "h" } } } as const;
  let parsed: ReturnType<typeof parseArgs<T & { strict: true }>>;
  try {
    parsed = parseArgs({ ...withHelp, args: own, strict: true }) as typeof parsed;
  } catch (error) {
    if (!(error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")))
      throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return { ...parsed, passThrough: end === -1 ? [] : args.slice(end + 1) };
}
