import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenAPI3 } from "openapi-typescript";
import { parse, YAMLParseError } from "yaml";
import { bundleWithRedocly, type LintProblem, lintWithRedocly, RedoclyFailure } from "./redocly.ts";
import { cachedSpec, keepSpec, sourcesOf } from "./spec-cache.ts";

/** The monorepo root, where `redocly.yaml` (the registry of APIs) lives. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface Api {
  /** The key of the API's `apis:` entry in redocly.yaml, e.g. `bland`. */
  id: string;
  /** Absolute path of the spec. */
  specPath: string;
  /** The root of the repository whose registry lists it. */
  root: string;
  /**
   * The entry's `x-pagination`, where it has one: how the API's lists page, for a spec that does not
   * say (a vendor's, kept as published). See `paginationOf`.
   */
  pagination?: unknown;
}

/**
 * An API as the registry lists it. `house` tells the two kinds of spec apart, by what the registry
 * already says of each (no key of our own, which Redocly would refuse): a vendor's spec, as
 * published, is registered with its own `extends:` under its `apis:` entry (replacing the house
 * style, see redocly.yaml); an entry without one is held to the house style, a spec written here.
 * The checks only our own specs can pass (the vendor pages in `specs/test/pages.ts`, examples for
 * every operation, exact request-body types in other generators) apply to house specs only.
 * `listApis` returns these (`selectApis` and `apiById` hand the same objects on, typed as `Api`).
 */
export interface RegisteredApi extends Api {
  /** True for a spec written here (its entry has no `extends` of its own); false for a vendor's. */
  house: boolean;
}

/** A path relative to the repository root, for messages a user can click. */
export function repoRelative(file: string, root = repoRoot): string {
  return path.relative(root, file);
}

/** The registry's YAML; a syntax error names the file and line, not only the parser's stack. */
function parseRegistry(
  file: string,
  text: string,
): { apis?: Record<string, { root?: string; extends?: unknown; "x-pagination"?: unknown } | null> } | null {
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

/** Every API of the registry, in the order redocly.yaml lists them, each marked house or vendor (see `RegisteredApi`). */
export async function listApis(root = repoRoot): Promise<RegisteredApi[]> {
  // Read with a plain YAML parser: asking Redocly costs a process.
  const registryFile = path.join(root, "redocly.yaml");
  const registry = parseRegistry(registryFile, await readFile(registryFile, "utf8"));
  const entries = Object.entries(registry?.apis ?? {});
  if (entries.length === 0) throw new Error(`${registryFile} lists no APIs: add an \`apis:\` entry per spec.`);
  return entries.map(([id, api]) => {
    if (!api?.root)
      throw new Error(`${registryFile}: the \`apis.${id}\` entry has no \`root\` (the path of its spec).`);
    const pagination = api["x-pagination"];
    return {
      id,
      specPath: path.resolve(root, api.root),
      root,
      house: api.extends === undefined,
      ...(pagination !== undefined && { pagination }),
    };
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
  const { files, fingerprint } = await sourcesOf(api);
  const cached = fingerprint && (await cachedSpec(api, fingerprint));
  if (cached) return readFrom(cached, files);
  // Both at once; the bundle counts only for a spec the lint passed.
  const bundling = bundleWithRedocly(api);
  bundling.catch(() => {});
  const errors = (await lintSpec(api)).filter((problem) => problem.severity === "error");
  if (errors.length > 0) throw new SpecError(api, [...new Set(errors.map((problem) => describeProblem(api, problem)))]);
  const document = (await asSpecError(api, bundling)) as OpenAPI3;
  if (fingerprint) await keepSpec(api, fingerprint, document);
  return readFrom(document, files);
}

/** The files each document `loadSpec` returned was read from (each call returns a document of its own). */
const sourceFiles = new WeakMap<OpenAPI3, readonly string[]>();

function readFrom(document: OpenAPI3, files: readonly string[]): OpenAPI3 {
  sourceFiles.set(document, files);
  return document;
}

/**
 * Every file a document `loadSpec` returned was read from, as absolute paths: the spec's root
 * file first, then every local file its `$ref`s reach (other YAML or JSON files, a Markdown page a
 * description pulls in), as taken before the lint. What depends on a spec (a client package's
 * build and tests in turbo's cache) depends on all of them. Undefined for a document `loadSpec`
 * did not return (one a test wrote inline).
 */
export function specFilesOf(document: OpenAPI3): string[] | undefined {
  const files = sourceFiles.get(document);
  return files && [...files];
}
