import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import type ts from "typescript";
import type { Change } from "./model.ts";

/** Where a generated client package's exports start, relative to its package directory. */
const entry = "src/index.ts";
/** Both clients compile against this repository's client-core, so only the generated code differs. */
const clientCoreEntry = path.join(repoRoot, "packages", "client-core", "src", "index.ts");

/** Export names by the role a user gives them: inputs may only widen, outputs only narrow. */
const inputType = /RequestBody$/;
const outputType = /(Response|Error)$/;

interface Exports {
  all: Map<string, ts.Symbol>;
  /** Component schema names (`Schemas["X"]`). */
  schemas: Set<string>;
  /** The spec's operationIds (`operations`); those the client object has are its methods. */
  operations: Set<string>;
}

interface Probe {
  line: string;
  change: Omit<Change, "message" | "impact" | "source">;
  /** What a failed check means to a user, before the compiler's own words. */
  meaning: string;
  /** The client method it checks: it counts only when both clients have that method. */
  method?: string;
}

/** The package's sources by path: the only input of its exports besides client-core. */
async function sources(packageDir: string): Promise<Map<string, string>> {
  const dir = path.join(packageDir, path.dirname(entry));
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((file) => file.isFile());
  const texts = new Map<string, string>();
  for (const file of files) {
    const full = path.join(file.parentPath, file.name);
    texts.set(path.relative(dir, full), await readFile(full, "utf8"));
  }
  return texts;
}

async function sameSources(baseDir: string, headDir: string): Promise<boolean> {
  const [before, after] = [await sources(baseDir), await sources(headDir)];
  return before.size === after.size && [...before].every(([file, text]) => after.get(file) === text);
}

/**
 * Parsed (and bound) files by name, shared by every comparison of the process: the libs,
 * client-core and openapi-fetch's types are the bulk of each program and parse the same each time.
 * An entry is used only while the file's text is unchanged; the compared clients (under the
 * comparison's own directory) are never kept.
 */
const parsedFiles = new Map<string, ts.SourceFile>();

function cachingHost(tsc: typeof ts, options: ts.CompilerOptions, workDir: string): ts.CompilerHost {
  const host = tsc.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (path.resolve(fileName).startsWith(path.resolve(workDir) + path.sep))
      return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    const format = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions.impliedNodeFormat : "";
    const key = `${format}:${fileName}`;
    const text = host.readFile(fileName);
    const cached = parsedFiles.get(key);
    if (cached && cached.text === text) return cached;
    const file = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    if (file) parsedFiles.set(key, file);
    return file;
  };
  return host;
}

function exportsOf(tsc: typeof ts, checker: ts.TypeChecker, file: ts.SourceFile): Exports {
  const module = checker.getSymbolAtLocation(file);
  if (!module) throw new Error(`${file.fileName} has no exports`);
  const all = new Map<string, ts.Symbol>();
  for (const symbol of checker.getExportsOfModule(module)) {
    all.set(symbol.name, symbol.flags & tsc.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  }
  const typeNames = (name: string) => {
    const symbol = all.get(name);
    return new Set(
      symbol
        ? checker
            .getDeclaredTypeOfSymbol(symbol)
            .getProperties()
            .map((property) => property.name)
        : [],
    );
  };
  return { all, schemas: typeNames("Schemas"), operations: typeNames("operations") };
}

/** The operationIds that are methods of the client object (`client.<operationId>()`). */
function methodsOf(checker: ts.TypeChecker, file: ts.SourceFile, operations: Set<string>): Set<string> {
  const createClient = checker
    .getExportsOfModule(checker.getSymbolAtLocation(file)!)
    .find((symbol) => symbol.name === "createClient");
  const client = createClient && checker.getTypeOfSymbol(createClient).getCallSignatures()[0]?.getReturnType();
  return new Set([...operations].filter((operationId) => client?.getProperty(operationId)));
}

function added<T>(from: Set<T> | Map<T, unknown>, to: Set<T> | Map<T, unknown>): T[] {
  return [...to.keys()].filter((key) => !from.has(key));
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

/**
 * What the generated client package exports at `baseDir` and not (or not compatibly) at
 * `headDir`, and what it adds. A removal, a narrowed input or a widened output breaks
 * TypeScript callers (major) even where the wire is unchanged; an addition is minor.
 * `operationOf` names the operation of an operationId, for the report.
 */
export async function clientChanges(
  baseDir: string,
  headDir: string,
  workDir: string,
  operationOf: (operationId: string) => string | undefined,
): Promise<Change[]> {
  // Identical sources compiled against the same client-core export identical types.
  if (await sameSources(baseDir, headDir)) return [];
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
    paths: { "@contracts/client-core": [clientCoreEntry] },
  };
  const baseEntry = path.join(baseDir, entry);
  const headEntry = path.join(headDir, entry);
  // The listing's checker only reads names; the probe's checker infers the clients' types (the
  // costly part), once, for both the methods and the checks.
  const host = cachingHost(tsc, options, workDir);
  const listing = tsc.createProgram([baseEntry, headEntry], options, host);
  const checker = listing.getTypeChecker();
  const before = exportsOf(tsc, checker, listing.getSourceFile(baseEntry)!);
  const after = exportsOf(tsc, checker, listing.getSourceFile(headEntry)!);

  // One compile of a probe: each line assigns an old export to a new one (inputs) or back (outputs).
  const probes: Probe[] = [];
  const relative = (file: string) => `./${path.relative(workDir, file).split(path.sep).join("/")}`;
  const header = [
    `import type * as Old from "${relative(baseEntry)}";`,
    `import type * as New from "${relative(headEntry)}";`,
  ];
  const isType = (symbol: ts.Symbol | undefined) => symbol !== undefined && (symbol.flags & tsc.SymbolFlags.Type) !== 0;
  for (const name of before.all.keys()) {
    if (!isType(before.all.get(name)) || !isType(after.all.get(name))) continue;
    const n = probes.length;
    if (inputType.test(name)) {
      probes.push({
        line: `declare const old${n}: Old.${name}; export const new${n}: New.${name} = old${n};`,
        change: { pointer: name },
        meaning: `\`${name}\` no longer accepts every value it accepted`,
      });
    } else if (outputType.test(name)) {
      probes.push({
        line: `declare const new${n}: New.${name}; export const old${n}: Old.${name} = new${n};`,
        change: { pointer: name },
        meaning: `\`${name}\` may now hold values it did not`,
      });
    }
  }
  if (before.all.has("createClient") && after.all.has("createClient")) {
    header.push(
      "type OldClient = ReturnType<typeof Old.createClient>;",
      "type NewClient = ReturnType<typeof New.createClient>;",
    );
    for (const method of before.operations) {
      if (!after.operations.has(method)) continue;
      // Calls and results apart: one assignment of the whole method types makes the compiler
      // build a union of every status's result too large to represent.
      const n = probes.length;
      probes.push({
        line: `declare const old${n}: Parameters<OldClient["${method}"]>; export const new${n}: Parameters<NewClient["${method}"]> = old${n};`,
        change: { pointer: `client.${method}()` },
        meaning: `\`client.${method}()\` no longer accepts every call it accepted`,
        method,
      });
      probes.push({
        line: `declare const new${n + 1}: Awaited<ReturnType<NewClient["${method}"]>>; export const old${n + 1}: Awaited<ReturnType<OldClient["${method}"]>> = new${n + 1};`,
        change: { pointer: `client.${method}()` },
        meaning: `\`client.${method}()\` may return what it did not`,
        method,
      });
    }
  }
  const probeFile = path.join(workDir, "probe.ts");
  await writeFile(path.join(workDir, "package.json"), `{ "type": "module" }\n`);
  await writeFile(probeFile, `${[...header, ...probes.map((probe) => probe.line)].join("\n")}\n`);
  const program = tsc.createProgram([probeFile], options, host, listing);
  const probeChecker = program.getTypeChecker();
  const methods = {
    before: methodsOf(probeChecker, program.getSourceFile(baseEntry)!, before.operations),
    after: methodsOf(probeChecker, program.getSourceFile(headEntry)!, after.operations),
  };

  const changes: Change[] = [];
  const operationFor = (name: string) => {
    const operationId = [...methods.before, ...methods.after].find(
      (id) => name === id || name.startsWith(id[0]!.toUpperCase() + id.slice(1)),
    );
    const operation = operationId && operationOf(operationId);
    return operation ? { operation } : {};
  };
  const report = (impact: Change["impact"], pointer: string, message: string) =>
    changes.push({
      impact,
      source: "client",
      ...operationFor(pointer.replace(/^client\.|\(\)$/g, "")),
      pointer,
      message,
    });

  for (const name of added(after.all, before.all))
    report("major", name, `export \`${name}\` removed from the client package`);
  for (const name of added(after.schemas, before.schemas))
    report(
      "major",
      `Schemas["${name}"]`,
      `type \`Schemas["${name}"]\` removed (component schema "${name}" renamed or deleted)`,
    );
  for (const name of added(methods.after, methods.before))
    report(
      "major",
      `client.${name}()`,
      `method \`client.${name}()\` removed (operationId "${name}" renamed or deleted)`,
    );
  for (const name of added(before.all, after.all)) report("minor", name, `export \`${name}\` added`);
  for (const name of added(before.schemas, after.schemas))
    report("minor", `Schemas["${name}"]`, `type \`Schemas["${name}"]\` added`);
  for (const name of added(methods.before, methods.after))
    report("minor", `client.${name}()`, `method \`client.${name}()\` added`);

  const source = program.getSourceFile(probeFile)!;
  const failed = new Map<number, ts.Diagnostic>();
  for (const diagnostic of tsc.getPreEmitDiagnostics(program, source)) {
    if (diagnostic.file !== source || diagnostic.start === undefined) {
      throw new Error(
        `The client surface probe did not compile: ${tsc.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`,
      );
    }
    const line = source.getLineAndCharacterOfPosition(diagnostic.start).line - header.length;
    if (line < 0)
      throw new Error(
        `The client surface probe could not import a client: ${tsc.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`,
      );
    if (!failed.has(line)) failed.set(line, diagnostic);
  }
  for (const [line, diagnostic] of failed) {
    const probe = probes[line]!;
    // A method one client lacks is reported as removed or added above, not as incompatible.
    if (probe.method && !(methods.before.has(probe.method) && methods.after.has(probe.method))) continue;
    report("major", probe.change.pointer, `${probe.meaning}: ${innermost(tsc, diagnostic)}`);
  }
  return changes;
}
