import { createRequire } from "node:module";
import { operationsOf, responsesOf } from "@contracts/spec";
import { _, Name } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";
import type { ApiModel } from "../model.ts";
import { generatedHeader } from "./header.ts";

/** The formats Ajv checks with a function rather than a pattern come from ajv-formats, imported under this name. */
const formatsName = "ajvFormats";

/**
 * What stands in for each Ajv runtime helper the standalone code would `require`: those modules
 * are CommonJS marked `__esModule`, which Node and bundlers import differently. String lengths are
 * inlined (a code point count, what Ajv's ucs2length computes); deep equality is fast-deep-equal,
 * the package Ajv's own helper re-exports, whose default import works everywhere.
 */
const runtimeHelpers: Record<string, { expression: string; importFrom?: string }> = {
  "ajv/dist/runtime/ucs2length": {
    expression: "((text) => { let length = 0; for (const _ of text) length += 1; return length; })",
  },
  "ajv/dist/runtime/equal": { expression: "deepEqual", importFrom: "fast-deep-equal" },
};

/** The installed version of a package codegen emits a dependency on. */
const versionOf = (name: string) =>
  (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version;

/** The standalone code with every runtime helper replaced, and the packages that now need importing. */
function withoutRuntimeRequires(api: ApiModel, code: string): { code: string; imports: string[] } {
  const imports: string[] = [];
  const replaced = code.replaceAll(/require\("([^"]+)"\)\.default/g, (_call, module: string) => {
    const helper = runtimeHelpers[module];
    if (!helper)
      throw new Error(
        `${api.specFile}: a response schema needs Ajv's runtime helper ${module}, which the generated validators do not provide yet.`,
      );
    if (helper.importFrom) imports.push(`import ${helper.expression} from "${helper.importFrom}";`);
    return helper.expression;
  });
  return { code: replaced, imports: [...new Set(imports)] };
}

export interface ValidatorsModule {
  code: string;
  /** Packages the module imports, with their version ranges, for the client's package.json. */
  dependencies: Record<string, string>;
}

/**
 * `src/generated/validators.ts`: each documented JSON response schema precompiled by Ajv into
 * plain functions (no `eval` at run time, so it runs under a strict CSP), loaded by the client
 * only when a call asks for `validateResponses`.
 */
export function emitValidatorsModule(api: ApiModel): ValidatorsModule {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    code: { source: true, esm: true, formats: _`${new Name(formatsName)}` },
  });
  addFormats.default(ajv);
  ajv.addSchema(api.document as object, "spec");
  const exports: Record<string, string> = {};
  const table = operationsOf(api.document).map((operation) => {
    const statuses = responsesOf(api.document, operation)
      .filter((response) => response.schema !== undefined)
      .map((response) => {
        const name = `check${Object.keys(exports).length}`;
        exports[name] = `spec#${response.schemaPointer}`;
        return `${JSON.stringify(response.status.toUpperCase())}: ${name}`;
      });
    return `  ${JSON.stringify(`${operation.method.toUpperCase()} ${operation.path}`)}: { ${statuses.join(", ")} },`;
  });
  const compiled = Object.keys(exports).length === 0 ? "" : standaloneCode.default(ajv, exports);
  const { code, imports } = withoutRuntimeRequires(api, compiled.replace(/^"use strict";/, ""));
  if (code.includes(formatsName))
    imports.push(`import { fullFormats as ${formatsName} } from "ajv-formats/dist/formats.js";`);
  const dependencies = Object.fromEntries(
    imports.map((line) => /from "([^"/]+)/.exec(line)![1]!).map((name) => [name, `^${versionOf(name)}`]),
  );
  return {
    code: `${generatedHeader(api)}// @ts-nocheck: Ajv's standalone output is plain JavaScript.
import { responseValidators } from "@contracts/client-core";
${imports.join("\n")}

${code}

export const { validateResponse } = responseValidators({
${table.join("\n")}
});
`,
    dependencies,
  };
}
