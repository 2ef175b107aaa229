import { type ParseArgsConfig, parseArgs } from "node:util";
import { defaultHost } from "./servers.ts";

export interface CliConfig extends Omit<ParseArgsConfig, "args" | "strict" | "tokens"> {
  /** Arguments after a `--` are not parsed but returned in `passThrough` (for a wrapped tool). */
  passThrough?: boolean;
}

/**
 * parseArgs's message, except for an unknown option: there Node adds, when positionals are allowed,
 * advice to put it after `--` (which no CLI here wants), so the message is cut to the option's name.
 */
function usageError(error: TypeError & { code: unknown }): string {
  const unknownOption = /^Unknown option '[^']*'/.exec(error.message);
  return error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknownOption ? unknownOption[0] : error.message;
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
    console.error(`${usageError(error)}\n\n${usage}`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return { ...parsed, passThrough: end === -1 ? [] : args.slice(end + 1) };
}

/** Prints why a CLI cannot go on (no stack trace) and exits; 2 is the exit code of every usage error. */
export function exitWith(message: string, exitCode = 1): never {
  console.error(message);
  process.exit(exitCode);
}

/** The flags of every CLI that serves the APIs (mock, dev, proxy): repeatable `--port <id>=<port>` and `--host`. */
export function serveOptions() {
  return {
    port: { type: "string", multiple: true, default: [] as string[] },
    host: { type: "string", default: defaultHost },
  } as const;
}

/** A malformed `--port <id>=<port>`: the message names the flag, what was expected and the known ids. */
export class PortFlagError extends Error {}

/**
 * Applies `--port <id>=<port>` flags to default ports keyed by registry id (mock, dev and proxy
 * share the syntax). Throws a PortFlagError on a bad assignment or an id the defaults lack.
 */
export function parsePortFlags(
  assignments: readonly string[],
  defaults: Record<string, number>,
): Record<string, number> {
  const ports = { ...defaults };
  const ids = Object.keys(defaults);
  for (const assignment of assignments) {
    const match = /^([^=]+)=(\d+)$/.exec(assignment);
    const port = Number(match?.[2]);
    if (!match || port > 65535) {
      throw new PortFlagError(
        `--port ${assignment}: expected <api-id>=<port>, e.g. --port ${ids[0] ?? "<api-id>"}=4111`,
      );
    }
    const id = match[1]!;
    if (!ids.includes(id)) {
      throw new PortFlagError(
        `--port ${assignment}: expected <api-id>=<port> with an id of the registry; "${id}" is not one (the registry lists ${ids.join(", ")})`,
      );
    }
    ports[id] = port;
  }
  return ports;
}

/** parsePortFlags for a CLI: a bad flag is a usage error (exit 2). */
export function portFlagsOrExit(
  assignments: readonly string[],
  defaults: Record<string, number>,
): Record<string, number> {
  try {
    return parsePortFlags(assignments, defaults);
  } catch (error) {
    if (error instanceof PortFlagError) exitWith(error.message, 2);
    throw error;
  }
}
