import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import type { Api } from "./apis.ts";

/**
 * The one Redocly engine that judges a spec: the pinned `@redocly/cli`, the very program `npm run
 * lint` runs. Its 2.x releases bundle their engine inside and export no API, so it runs as a child
 * process. `@redocly/openapi-core` stays at 1.34 for openapi-typescript, which needs that line and
 * gets no rules from codegen: it judges nothing.
 */
const require = createRequire(import.meta.url);
const cliPath = require.resolve("@redocly/cli/bin/cli.js");

/** The engine's version: a verdict kept in the cache rests on it. */
export const redoclyVersion = (require("@redocly/cli/package.json") as { version: string }).version;

/**
 * Every command reads the registry's `redocly.yaml` and treats a problem in it (a misspelt rule,
 * a wrong type) as an error; `npm run lint` passes the same flag.
 */
const configFlags = (root: string) => ["--config", path.resolve(root, "redocly.yaml"), "--lint-config", "error"];

/** Loaded into every Redocly process: no URL is fetched (see no-network.ts). */
const noNetwork = fileURLToPath(new URL("./no-network.ts", import.meta.url));

/** What no-network.ts answers a URL with in a bundle, followed by the URL. */
const urlStandIn = "contracts-url-not-fetched:";

async function redocly(api: Api, args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, ["--import", noNetwork, cliPath, ...args, api.id, ...configFlags(api.root)], {
    cwd: api.root,
    reject: false,
    maxBuffer: 512 * 1024 * 1024,
    // Offline and quiet: no telemetry and no look-up of newer releases.
    env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", ...env },
  });
}

export interface LintProblem {
  severity: "error" | "warn";
  ruleId: string;
  message: string;
  /** Absolute path of the file the problem is in. */
  file: string;
  line: number;
  col: number;
  pointer: string;
}

interface JsonReport {
  problems: {
    ruleId: string;
    severity: "error" | "warn";
    message: string;
    location: { source: { ref: string }; pointer: string; start?: { line: number; col: number } }[];
  }[];
}

/** Why Redocly could not judge the spec at all (a file it cannot parse or find, a broken config). */
export class RedoclyFailure extends Error {
  /** `file:line:col` when Redocly names one. */
  readonly where?: { file: string; line: number; col: number };
  constructor(message: string, where?: { file: string; line: number; col: number }) {
    super(message);
    this.name = "RedoclyFailure";
    this.where = where;
  }
}

/** Redocly's own words on stderr, with the `file (line:col)` of a parse error when it gives one. */
function failureOf(stderr: string): RedoclyFailure {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !/^(validating|bundling) /.test(line));
  const parseError = /^- (.*) in "(.+)" \((\d+):(\d+)\)$/.exec(lines.find((line) => line.startsWith("- ")) ?? "");
  if (parseError) {
    const [, message, file, line, col] = parseError;
    return new RedoclyFailure(message!, { file: file!, line: Number(line), col: Number(col) });
  }
  return new RedoclyFailure(lines.join("\n"));
}

/** Every problem Redocly finds in the API's spec with the API's own rules from `redocly.yaml`. */
export async function lintWithRedocly(api: Api): Promise<LintProblem[]> {
  const result = await redocly(api, ["lint", "--format=json", "--max-problems=10000"]);
  if (!result.stdout.trim()) throw failureOf(result.stderr);
  const report = JSON.parse(result.stdout) as JsonReport;
  return report.problems.map((problem) => {
    const where = problem.location[0];
    return {
      severity: problem.severity,
      ruleId: problem.ruleId,
      message: problem.message,
      file: path.resolve(api.root, where?.source.ref ?? api.specPath),
      line: where?.start?.line ?? 1,
      col: where?.start?.col ?? 1,
      pointer: where?.pointer ?? "#",
    };
  });
}

/** The URL a stand-in names (no-network.ts), whether Redocly kept it as JSON text or parsed it. */
function standInUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (value.startsWith(urlStandIn)) return value.slice(urlStandIn.length);
  if (!value.startsWith(`"${urlStandIn}`)) return undefined;
  return (JSON.parse(value) as string).slice(urlStandIn.length);
}

/**
 * The bundle with every example Redocly inlined from a URL given back its `externalValue` (never
 * fetched: the mock answers such an example as it answers one without a value). A stand-in found
 * anywhere else is a URL the spec needs and the lint let through (its no-unresolved-refs off).
 */
function withUrlsUnfetched(node: unknown, unfetched: string[]): unknown {
  if (Array.isArray(node)) return node.map((item) => withUrlsUnfetched(item, unfetched));
  if (typeof node !== "object" || node === null) {
    const url = standInUrl(node);
    if (url !== undefined) unfetched.push(url);
    return node;
  }
  const { value, ...rest } = node as { value?: unknown };
  const externalValue = standInUrl(value);
  if (externalValue !== undefined) return { ...(withUrlsUnfetched(rest, unfetched) as object), externalValue };
  return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, withUrlsUnfetched(item, unfetched)]));
}

/**
 * The API's spec bundled into one document, as `redocly bundle` writes it, with no URL fetched:
 * a `$ref` inside an example's value stays as written, an `externalValue` that is a URL too.
 */
export async function bundleWithRedocly(api: Api): Promise<unknown> {
  const result = await redocly(api, ["bundle", "--ext", "json"], { CONTRACTS_URL_STAND_IN: urlStandIn });
  if (result.exitCode !== 0) throw failureOf(result.stderr);
  const bundle = JSON.parse(result.stdout) as unknown;
  if (!result.stdout.includes(urlStandIn)) return bundle;
  const unfetched: string[] = [];
  const document = withUrlsUnfetched(bundle, unfetched);
  if (unfetched.length > 0)
    throw new RedoclyFailure(
      unfetched
        .map(
          (url) => `the $ref ${url} names a URL, which is not fetched: save a copy beside the spec and $ref that file`,
        )
        .join("\n"),
    );
  return document;
}
