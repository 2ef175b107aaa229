import { writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import type ts from "typescript";

const clientCorePackage = "@contracts/client-core";
/** Where client-core's sources start, relative to its package. */
export const clientCoreSource = "src/index.ts";
/**
 * The compared sources import other packages (openapi-fetch, ...) as this installation's
 * client-core does, wherever they were copied to: from its node_modules.
 */
const installedClientCore = path.join(repoRoot, "packages", "client-core", "package.json");

/** The sources under `dir` import `@contracts/client-core` from `core`, a client-core's entry file. */
export interface Side {
  dir: string;
  core: string;
}

export interface Compiler {
  tsc: typeof ts;
  options: ts.CompilerOptions;
  host: ts.CompilerHost;
}

/**
 * Parsed (and bound) files by name, shared by every comparison of the process: the libs,
 * client-core and openapi-fetch's types are the bulk of each program and parse the same each time.
 * An entry is used only while the file's text is unchanged; files under a comparison's own
 * directory (copies, probes) are never kept.
 */
const parsedFiles = new Map<string, ts.SourceFile>();

const isBare = (specifier: string) => !specifier.startsWith(".") && !path.isAbsolute(specifier);

/**
 * A compiler whose sources under each side's `dir` see that side's client-core, so one program
 * holds both sides of a comparison.
 */
export async function compilerFor(workDir: string, sides: Side[]): Promise<Compiler> {
  const tsc = (await import("typescript")).default;
  const options: ts.CompilerOptions = {
    target: tsc.ScriptTarget.ES2022,
    module: tsc.ModuleKind.NodeNext,
    moduleResolution: tsc.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
  };
  const host = tsc.createCompilerHost(options);
  const within = (dir: string, file: string) => path.resolve(file).startsWith(path.resolve(dir) + path.sep);

  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (within(workDir, fileName)) return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    const format = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions.impliedNodeFormat : "";
    const key = `${format}:${fileName}`;
    const text = host.readFile(fileName);
    const cached = parsedFiles.get(key);
    if (cached && cached.text === text) return cached;
    const file = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    if (file) parsedFiles.set(key, file);
    return file;
  };

  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const side = sides.find(({ dir }) => within(dir, containingFile));
      if (literal.text === clientCorePackage && side)
        return { resolvedModule: { resolvedFileName: side.core, extension: tsc.Extension.Ts } };
      const compared = !containingFile.split(path.sep).includes("node_modules");
      const from = compared && isBare(literal.text) ? installedClientCore : containingFile;
      const mode = tsc.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      return tsc.resolveModuleName(literal.text, from, compilerOptions, host, undefined, redirected, mode);
    });
  return { tsc, options, host };
}

/** The compiler's innermost reason, after the property path that leads to it (`data.name`). */
function innermost(tsc: typeof ts, diagnostic: ts.Diagnostic): string {
  const lines = tsc
    .flattenDiagnosticMessageText(diagnostic.messageText, "\n")
    .split("\n")
    .map((line) => line.trim());
  const properties = lines.flatMap((line) =>
    [...line.matchAll(/^Types of property '([^']+)' are incompatible/g)].map((match) => match[1]),
  );
  const last = lines.at(-1) ?? "";
  const reason = last.length > 240 ? `${last.slice(0, 237)}...` : last;
  return properties.length > 0 ? `property \`${properties.join(".")}\`: ${reason}` : reason;
}

/** An import path from a probe in `dir` to `file`. */
export function importPath(dir: string, file: string): string {
  return `./${path.relative(dir, file).split(path.sep).join("/")}`;
}

/** One line of a probe: a check that compiles only while callers of the old export still compile. */
export interface Probe {
  line: string;
  /** The export it checks, as the report names it. */
  pointer: string;
  /** What a failed check means to a user, before the compiler's own words. */
  meaning: string;
}

/** The `n`th check that every old value of type `name` is still one: callers that build them keep compiling. */
export function takesOld(n: number, name: string): Probe {
  return {
    line: `declare const old${n}: Old.${name}; export const new${n}: New.${name} = old${n};`,
    pointer: name,
    meaning: `\`${name}\` no longer accepts every value it accepted`,
  };
}

/** The `n`th check that every new value of type `name` was one: callers that read them keep compiling. */
export function holdsNew(n: number, name: string): Probe {
  return {
    line: `declare const new${n}: New.${name}; export const old${n}: Old.${name} = new${n};`,
    pointer: name,
    meaning: `\`${name}\` may now hold values it did not`,
  };
}

/**
 * Compiles the probes, one line each after `header` (which imports the compared modules as `Old`
 * and `New`), in one program; returns each probe that does not compile, with the compiler's reason.
 */
export async function failedProbes(
  { tsc, options, host }: Compiler,
  file: string,
  header: string[],
  probes: Probe[],
  oldProgram?: ts.Program,
): Promise<{ probe: Probe; reason: string }[]> {
  await writeFile(path.join(path.dirname(file), "package.json"), `{ "type": "module" }\n`);
  await writeFile(file, `${[...header, ...probes.map((probe) => probe.line)].join("\n")}\n`);
  const program = tsc.createProgram([file], options, host, oldProgram);
  const source = program.getSourceFile(file)!;
  const failed = new Map<number, ts.Diagnostic>();
  for (const diagnostic of tsc.getPreEmitDiagnostics(program, source)) {
    const message = tsc.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (diagnostic.file !== source || diagnostic.start === undefined)
      throw new Error(`The probe ${file} did not compile: ${message}`);
    const line = source.getLineAndCharacterOfPosition(diagnostic.start).line - header.length;
    if (line < 0) throw new Error(`The probe ${file} could not import what it compares: ${message}`);
    if (!failed.has(line)) failed.set(line, diagnostic);
  }
  return [...failed].map(([line, diagnostic]) => ({ probe: probes[line]!, reason: innermost(tsc, diagnostic) }));
}

/** An export's own symbol (through `export { x } from` and `export *`). */
function resolved(tsc: typeof ts, checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & tsc.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** A module's exports by name, each its own symbol. */
export function exportsOf(tsc: typeof ts, checker: ts.TypeChecker, file: ts.SourceFile): Map<string, ts.Symbol> {
  const module = checker.getSymbolAtLocation(file);
  if (!module) throw new Error(`${file.fileName} has no exports`);
  return new Map(checker.getExportsOfModule(module).map((symbol) => [symbol.name, resolved(tsc, checker, symbol)]));
}

/** The names of the properties of a declared type (`Schemas`: the component schemas); none without one. */
export function propertyNames(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): Set<string> {
  const properties = symbol ? checker.getDeclaredTypeOfSymbol(symbol).getProperties() : [];
  return new Set(properties.map((property) => property.name));
}
