import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenAPI3 } from "openapi-typescript";
import { parse, YAMLParseError } from "yaml";
import { bundleWithRedocly, type LintProblem, lintWithRedocly, RedoclyFailure } from "./redocly.ts";
import { cachedSpec, fingerprintOf, keepSpec } from "./spec-cache.ts";

/** The monorepo root, where `redocly.yaml` (the registry of APIs) lives. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * The lint rules every spec is held to, in a file of their own that redocly.yaml extends: what reads
 * only the rules (a client's tests) does not depend on the list of APIs, so registering one leaves
 * the others' cached tasks valid.
 */
export const lintRulesFile = "lint-rules.yaml";

export interface Api {
  /** The key of the API's `apis:` entry in redocly.yaml, e.g. `bland`. */
  id: string;
  /** Absolute path of the spec. */
  specPath: string;
  /** The root of the repository whose registry lists it. */
  root: string;
}

/** A path relative to the repository root, for messages a user can click. */
export function repoRelative(file: string, root = repoRoot): string {
  return path.relative(root, file);
}

/** The registry's YAML; a syntax error names the file and line, not only the parser's stack. */
function parseRegistry(file: string, text: string): { apis?: Record<string, { root?: string }> } | null {
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const [at] = error.linePos ?? [];
    throw new Error(
      `${file}${at ? `:${at.line}:${at.col}` : ""}: ${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}. Fix the YAML there.`,
      {
        cause: error,
      },
    );
  }
}

/** Every API of the registry, in the order redocly.yaml lists them. */
export async function listApis(root = repoRoot): Promise<Api[]> {
  // Read with a plain YAML parser: asking Redocly costs a process.
  const registryFile = path.join(root, "redocly.yaml");
  const registry = parseRegistry(registryFile, await readFile(registryFile, "utf8"));
  const entries = Object.entries(registry?.apis ?? {});
  if (entries.length === 0) throw new Error(`${registryFile} lists no APIs: add an \`apis:\` entry per spec.`);
  return entries.map(([id, api]) => {
    if (!api?.root)
      throw new Error(`${registryFile}: the \`apis.${id}\` entry has no \`root\` (the path of its spec).`);
    return { id, specPath: path.resolve(root, api.root), root };
  });
}

export class UnknownApiError extends Error {
  constructor(unknown: readonly string[], known: readonly string[]) {
    super(
      `Unknown API id ${unknown.map((id) => `"${id}"`).join(", ")}. ` +
        `The registry (redocly.yaml) lists: ${known.join(", ")}.`,
    );
    this.name = "UnknownApiError";
  }
}

/** The APIs named by `ids` (all of them when none is named); an unknown id throws. */
export async function selectApis(ids: readonly string[] = [], root = repoRoot): Promise<Api[]> {
  const apis = await listApis(root);
  const unknown = ids.filter((id) => !apis.some((api) => api.id === id));
  if (unknown.length > 0)
    throw new UnknownApiError(
      unknown,
      apis.map((api) => api.id),
    );
  return ids.length === 0 ? apis : apis.filter((api) => ids.includes(api.id));
}

/** The API with this id; an unknown id throws UnknownApiError listing the known ones. */
export async function apiById(id: string, root = repoRoot): Promise<Api> {
  const [api] = await selectApis([id], root);
  return api!;
}

/** Where the generated client packages live: `packages/clients`. */
export function clientPackagesDir(root = repoRoot): string {
  return path.join(root, "packages", "clients");
}

/** Where the generated client package of an API lives: `packages/clients/<id>`. */
export function clientPackageDir(api: Pick<Api, "id" | "root">): string {
  return path.join(clientPackagesDir(api.root), api.id);
}

/** A spec that cannot be used: each problem is `file:line:col message`. */
export class SpecError extends Error {
  readonly api: Api;
  readonly problems: string[];
  constructor(api: Api, problems: string[]) {
    super(
      `Spec of API "${api.id}" (${repoRelative(api.specPath, api.root)}) is invalid; fix it and run again:\n` +
        problems.map((problem) => `  ${problem}`).join("\n"),
    );
    this.name = "SpecError";
    this.api = api;
    this.problems = problems;
  }
}

function describeProblem(api: Api, problem: LintProblem): string {
  return `${repoRelative(problem.file, api.root)}:${problem.line}:${problem.col} ${problem.message} (rule ${problem.ruleId}, at ${problem.pointer})`;
}

function describeFailure(api: Api, failure: RedoclyFailure): string {
  if (!failure.where) return `${repoRelative(api.specPath, api.root)}: ${failure.message}`;
  const { file, line, col } = failure.where;
  return `${repoRelative(file, api.root)}:${line}:${col} ${failure.message}`;
}

/** What Redocly did with the spec, or a SpecError when it could not read it. */
async function asSpecError<T>(api: Api, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RedoclyFailure) throw new SpecError(api, [describeFailure(api, error)]);
    throw error;
  }
}

/** The problems Redocly finds in the API's spec with the API's own rules: what `npm run lint` reports for it. */
export function lintSpec(api: Api): Promise<LintProblem[]> {
  return asSpecError(api, lintWithRedocly(api));
}

/**
 * Checks the spec with its rules from the registry (root `rules`/`extends`, and the API's own
 * under `apis.<id>`) and returns the bundled document, both by the one Redocly engine
 * (redocly.ts). Any error-level problem throws a SpecError naming file, line and rule. A spec
 * that passed and has not changed since (nor its files, redocly.yaml, lint-rules.yaml, Redocly's version) is read
 * from the verdict cache instead (spec-cache.ts).
 */
export async function loadSpec(api: Api): Promise<OpenAPI3> {
  const fingerprint = await fingerprintOf(api);
  const cached = fingerprint && (await cachedSpec(api, fingerprint));
  if (cached) return cached;
  // Both at once; the bundle counts only for a spec the lint passed.
  const bundling = bundleWithRedocly(api);
  bundling.catch(() => {});
  const errors = (await lintSpec(api)).filter((problem) => problem.severity === "error");
  if (errors.length > 0) throw new SpecError(api, [...new Set(errors.map((problem) => describeProblem(api, problem)))]);
  const document = (await asSpecError(api, bundling)) as OpenAPI3;
  if (fingerprint) await keepSpec(api, fingerprint, document);
  return document;
}
