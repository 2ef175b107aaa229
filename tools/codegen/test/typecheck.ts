// Type-checking generated packages in a scratch repository, as their users' compiler would: for the
// tests that generate a fixture and hold its code to compiling (spec text, pagination).
import { readdir } from "node:fs/promises";
import path from "node:path";
import { repoRoot } from "@contracts/spec";
import ts from "typescript";

/** Every file under `dir`, absolute, in path order. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The .ts files of a generated package's src and test: what its users and its tests load. (Its
 * vitest.config.ts re-exports the repository's shared config, which a scratch repository lacks; it
 * holds no spec text.)
 */
export async function tsFilesOf(dir: string): Promise<string[]> {
  const files = [...(await filesUnder(path.join(dir, "src"))), ...(await filesUnder(path.join(dir, "test")))];
  return files.filter((file) => file.endsWith(".ts"));
}

/**
 * The repository's compiler options (tsconfig.base.json), with its own packages' paths: client-core from
 * this repository, the generated clients (`@contracts/<id>` and `@contracts/<id>/msw`) from the scratch
 * repository. Everything else (vitest, msw, `@contracts/testkit/...`) resolves through the scratch
 * repository's node_modules, a link to this one's.
 */
function compilerOptions(root: string): ts.CompilerOptions {
  const base = ts.readConfigFile(path.join(repoRoot, "tsconfig.base.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, repoRoot);
  const clients = path.join(root, "packages", "clients");
  const core = path.join(repoRoot, "packages", "client-core", "src");
  return {
    ...options,
    noEmit: true,
    paths: {
      "@contracts/client-core": [path.join(core, "index.ts")],
      "@contracts/client-core/*": [path.join(core, "*.ts")],
      "@contracts/*/msw": [path.join(clients, "*", "src", "msw.ts")],
      "@contracts/*": [path.join(clients, "*", "src", "index.ts")],
    },
  };
}

/** Each diagnostic of the files as `path:line:col message`, paths relative to `root`. */
function describeDiagnostics(diagnostics: readonly ts.Diagnostic[], root: string): string[] {
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${path.relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1} ${message}`;
  });
}

/**
 * The diagnostics of every generated .ts file (src and test) of the packages in one program: options,
 * global, syntactic and semantic ones. The hand-written files they import (client-core, the test kit)
 * are checked by their own packages, not here.
 */
export function typecheckGenerated(root: string, files: string[]): string[] {
  const program = ts.createProgram({ rootNames: files, options: compilerOptions(root) });
  const generated = new Set(files.map((file) => path.resolve(file)));
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of program.getSourceFiles()) {
    if (!generated.has(path.resolve(file.fileName))) continue;
    diagnostics.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
  }
  const missing = files.filter((file) => !program.getSourceFile(file));
  return [
    ...missing.map((file) => `${path.relative(root, file)}: not in the program`),
    ...describeDiagnostics(diagnostics, root),
  ];
}
