import path from "node:path";
import { fileURLToPath } from "node:url";
import { compiledSchema, repoRoot, specAjv, specSchemaId } from "@contracts/spec";
import { _, Name, type Options } from "ajv";
import type { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import { build } from "esbuild";
import type { OpenAPI3 } from "openapi-typescript";

// Ajv's standalone output as the generated validators modules carry it: the response validators
// and the mocks' request checks.

/** Ajv's standalone code reads the formats it checks with a function (dates, times) from this name. */
const formatsName = "ajvFormats";

const withFormats = (code: string) =>
  code.includes(formatsName)
    ? `import { fullFormats as ${formatsName} } from "ajv-formats/dist/formats.js";\n${code}`
    : code;

/**
 * Ajv's standalone code `require`s its runtime helpers and formats, CommonJS modules that Node
 * and bundlers import differently. esbuild bundles them into the module itself, so the generated
 * validators import nothing and need no dependency. `modules` are more standalone outputs the
 * code imports as `virtual:<name>` (each Ajv instance's output is a module of its own).
 */
export async function selfContained(code: string, modules: Record<string, string> = {}): Promise<string> {
  const resolveDir = path.dirname(fileURLToPath(import.meta.url));
  const result = await build({
    // The paths esbuild writes in its comments are relative to this: the repository, whatever the caller's folder.
    absWorkingDir: repoRoot,
    stdin: { contents: withFormats(code), resolveDir, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
    legalComments: "none",
    plugins: [
      {
        name: "standalone-modules",
        setup(builder) {
          builder.onResolve({ filter: /^virtual:/ }, ({ path: name }) => ({ path: name, namespace: "standalone" }));
          builder.onLoad({ filter: /.*/, namespace: "standalone" }, ({ path: name }) => ({
            contents: withFormats(modules[name.slice("virtual:".length)]!),
            loader: "js",
            resolveDir,
          }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/**
 * The project's Ajv over the whole spec (`specAjv`), emitting standalone ES module code (formats
 * read from `ajvFormats`). Without options, one per document: the model's made-up response bodies
 * and the response validators are checked by the same compiled schemas, each compiled once (one with
 * options is the caller's own, to add schemas to).
 */
export function standaloneAjv(document: OpenAPI3, options?: Options): Ajv2020 {
  const make = () =>
    specAjv(document, { ...options, code: { source: true, esm: true, formats: _`${new Name(formatsName)}` } });
  if (options !== undefined) return make();
  let ajv = sharedAjvs.get(document);
  if (!ajv) {
    ajv = make();
    sharedAjvs.set(document, ajv);
  }
  return ajv;
}

const sharedAjvs = new WeakMap<object, Ajv2020>();

/**
 * Checks by schema, each exported once under its own name (`check0`, ...): `checkOf` names the
 * check of a schema (a pointer into the spec, or another schema's id), `compiled` is Ajv's
 * standalone module of every check named so far. Each schema is compiled once, by the one Ajv that
 * holds the whole spec; one Ajv cannot compile is refused naming its place (`compiledSchema`).
 */
export function standaloneChecks(ajv: Ajv2020): { checkOf: (schema: string) => string; compiled: () => string } {
  const names = new Map<string, string>();
  const exports: Record<string, string> = {};
  // One export per schema: Ajv's standalone code declares a function twice when two exports share it.
  const checkOf = (schema: string) => {
    const id = schema.startsWith("/") ? specSchemaId(ajv, schema) : schema;
    let name = names.get(id);
    if (name === undefined) {
      compiledSchema(ajv, schema);
      name = `check${names.size}`;
      names.set(id, name);
      exports[name] = id;
    }
    return name;
  };
  const compiled = () => (names.size === 0 ? "" : standaloneCode.default(ajv, exports).replace(/^"use strict";/, ""));
  return { checkOf, compiled };
}
