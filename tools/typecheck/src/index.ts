import { glob, readFile } from "node:fs/promises";
import path from "node:path";
import ts from "typescript";

/** A workspace package that has a `tsconfig.json`: it gets a verdict of its own. */
export interface Project {
  name: string;
  /** Absolute. */
  directory: string;
}

export interface ProjectVerdict extends Project {
  diagnostics: readonly ts.Diagnostic[];
}

/** The packages the root package.json's `workspaces` name, each with a `tsconfig.json`, in path order. */
export async function workspaceProjects(root: string): Promise<Project[]> {
  const { workspaces = [] } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as {
    workspaces?: string[];
  };
  const projects: Project[] = [];
  for await (const config of glob(
    workspaces.map((pattern) => `${pattern}/tsconfig.json`),
    { cwd: root },
  )) {
    const directory = path.join(root, path.dirname(config));
    const { name } = JSON.parse(await readFile(path.join(directory, "package.json"), "utf8")) as { name: string };
    projects.push({ name, directory });
  }
  return projects.sort((a, b) => a.directory.localeCompare(b.directory));
}

interface ParsedProject extends Project {
  config: ts.ParsedCommandLine;
}

function parseConfig(project: Project): ParsedProject {
  const configFile = path.join(project.directory, "tsconfig.json");
  let unrecoverable: ts.Diagnostic | undefined;
  const config = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        unrecoverable = diagnostic;
      },
    },
  );
  const failed: ts.ParsedCommandLine = { options: {}, fileNames: [], errors: unrecoverable ? [unrecoverable] : [] };
  return { ...project, config: config ?? failed };
}

/** Projects whose options are equal once each config's own path is left out can share a program. */
function optionsKey({ configFilePath: _ownPath, ...options }: ts.CompilerOptions): string {
  return JSON.stringify(options, Object.keys(options).sort());
}

/** The project a checked file belongs to: the one whose directory holds it (the deepest, for nested ones). */
function ownerOf(file: string, projects: readonly ParsedProject[]): ParsedProject | undefined {
  return projects
    .filter((project) => file.startsWith(project.directory + path.sep))
    .sort((a, b) => b.directory.length - a.directory.length)[0];
}

/**
 * Type-checks the projects with one TypeScript program per set of equal compiler options (one, here).
 * Why not a `tsc` per package: each of those re-read and re-checked the libs, @types/node and every
 * workspace package it imports; one program checks each file once. Each project's verdict holds the
 * diagnostics of its own files and of the settings its program shares.
 */
export function typecheckProjects(projects: readonly Project[]): ProjectVerdict[] {
  const parsed = projects.map(parseConfig);
  const diagnostics = new Map<ParsedProject, ts.Diagnostic[]>(parsed.map((project) => [project, []]));
  const groups = new Map<string, ParsedProject[]>();
  for (const project of parsed.filter((candidate) => candidate.config.errors.length === 0)) {
    const key = optionsKey(project.config.options);
    groups.set(key, [...(groups.get(key) ?? []), project]);
  }
  for (const group of groups.values()) {
    const program = ts.createProgram({
      rootNames: [...new Set(group.flatMap((project) => project.config.fileNames))],
      options: group[0]!.config.options,
    });
    const shared = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
    for (const project of group) diagnostics.get(project)!.push(...shared);
    for (const file of program.getSourceFiles()) {
      if (program.isSourceFileFromExternalLibrary(file) || program.isSourceFileDefaultLibrary(file)) continue;
      const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
      if (found.length === 0) continue;
      const owner = ownerOf(path.resolve(file.fileName), parsed);
      // A file of a project with other options is judged in that project's own program.
      if (owner && !group.includes(owner)) continue;
      // A checked file outside every project (none today) fails its program's projects rather than go unreported.
      for (const project of owner ? [owner] : group) diagnostics.get(project)!.push(...found);
    }
  }
  return parsed.map((project) => ({
    name: project.name,
    directory: project.directory,
    diagnostics: [...project.config.errors, ...diagnostics.get(project)!],
  }));
}

/** Diagnostics as `tsc --pretty` prints them, with paths relative to `root`. */
export function formatDiagnostics(diagnostics: readonly ts.Diagnostic[], root: string, color: boolean): string {
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
  };
  return color ? ts.formatDiagnosticsWithColorAndContext(diagnostics, host) : ts.formatDiagnostics(diagnostics, host);
}
