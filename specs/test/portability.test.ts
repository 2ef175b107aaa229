/**
 * The house specs must give exact types in generators nobody here wrote, not only in our own
 * (openapi-typescript): each API is generated with hey-api and Orval into a temp dir, and a
 * derived file must type-check against their request body types. Every documented request
 * example and every boundary body the spec accepts must be assignable; bodies of a wrong JSON
 * type, missing a required key or with a key the spec closes off must not be.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ConstraintCase, constraintCases } from "@contracts/cases";
import {
  type Api,
  loadSpec,
  type Operation,
  operationsOf,
  pascalCase,
  resolveRef,
  specValidator,
} from "@contracts/spec";
import { createClient } from "@hey-api/openapi-ts";
import type { OpenAPI3 } from "openapi-typescript";
import { generate as orval } from "orval";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { documented } from "./pages.ts";
import { houseApis, itSkipsVendorSpecs } from "./registry.ts";

interface BodyCase {
  name: string;
  body: unknown;
  assignable: boolean;
}

/** Rejected cases a TypeScript type can express: wrong JSON type, missing required key, closed object. */
function typeExpressible({ expected, keyword, wrongType }: ConstraintCase): boolean {
  if (expected !== "rejected") return false;
  if (keyword === "required" || keyword === "additionalProperties") return true;
  // A fractional number for an integer is a number to TypeScript.
  return wrongType !== undefined && !(wrongType.allowed.includes("integer") && wrongType.given === "number");
}

function bodyCases(document: OpenAPI3, operation: Operation, api: Api): BodyCase[] {
  const requestBody = operation.object.requestBody && resolveRef(document, operation.object.requestBody);
  const mediaType = requestBody?.content["application/json"];
  if (!mediaType) return [];
  const content = resolveRef(document, mediaType);
  const examples = Object.entries(content.examples ?? {}).map(([name, example]) => ({
    name: `example ${name}`,
    body: resolveRef(document, example).value as unknown,
  }));
  const page = documented[api.id]?.operationId === operation.id ? documented[api.id] : undefined;
  const pageBodies = Object.entries(page?.accepts ?? {}).map(([rule, body]) => ({ name: `page: ${rule}`, body }));
  const boundaries = examples.flatMap(({ body }) =>
    constraintCases(document, operation, body as never, specValidator(document)),
  );
  return [
    ...[...examples, ...pageBodies].map((known) => ({ ...known, assignable: true })),
    ...boundaries
      .filter((boundary) => boundary.expected === "accepted")
      .map(({ name, body }) => ({ name, body, assignable: true })),
    ...boundaries.filter(typeExpressible).map(({ name, body }) => ({ name, body, assignable: false })),
  ].filter((candidate, index, all) => all.findIndex((other) => other.name === candidate.name) === index);
}

/** The derived file: one line per case, so a diagnostic's line names its case. */
function derivedFile(
  bodyTypes: Record<string, string>,
  cases: BodyCase[],
): { text: string; caseAtLine: Map<number, string> } {
  const lines = Object.values(bodyTypes).filter((line) => line.startsWith("import"));
  const caseAtLine = new Map<number, string>();
  for (const [generator, type] of Object.entries(bodyTypes).filter(([key]) => !key.startsWith("import"))) {
    cases.forEach(({ name, body, assignable }, index) => {
      if (!assignable) lines.push(`// @ts-expect-error ${generator} must refuse: ${name.replaceAll("\n", " ")}`);
      caseAtLine.set(lines.length, `${generator}: ${assignable ? "accepts" : "refuses"} ${name}`);
      lines.push(`export const ${generator}${index}: ${type} = ${JSON.stringify(body)};`);
    });
  }
  return { text: `${lines.join("\n")}\n`, caseAtLine };
}

const scratch = await mkdtemp(path.join(tmpdir(), "portability-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

// The house style's promise, not a vendor's: a published spec keeps the types it gives.
itSkipsVendorSpecs("request body types are exact in hey-api and Orval");

describe.each(houseApis)("$id in hey-api and Orval", async (api) => {
  const document = await loadSpec(api);
  const dir = path.join(scratch, api.id);

  it.each(operationsOf(document).filter((operation) => operation.object.requestBody))(
    "$id: request body types are exact",
    async (operation) => {
      await createClient({
        input: api.specPath,
        output: path.join(dir, "hey-api"),
        plugins: ["@hey-api/typescript"],
        logs: { level: "silent" },
      });
      await orval({
        input: { target: api.specPath },
        output: { target: path.join(dir, "orval", "client.ts"), client: "fetch", mode: "single" },
      });
      const pathParameters = (operation.object.parameters ?? []).filter(
        (parameter) => resolveRef(document, parameter).in === "path",
      ).length;
      const cases = bodyCases(document, operation, api);
      expect(cases.filter((candidate) => candidate.assignable).length).toBeGreaterThan(0);
      const { text, caseAtLine } = derivedFile(
        {
          "import hey-api": `import type { ${pascalCase(operation.id)}Data } from "./hey-api/types.gen.ts";`,
          "import orval": `import type { ${operation.id} } from "./orval/client.ts";`,
          heyApi: `${pascalCase(operation.id)}Data["body"]`,
          // Orval's fetch client takes the path parameters, then the body.
          orval: `Parameters<typeof ${operation.id}>[${pathParameters}]`,
        },
        cases,
      );
      const file = path.join(dir, `${operation.id}.check.ts`);
      await writeFile(file, text);
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        allowImportingTsExtensions: true,
        types: [],
      });
      const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
        const line =
          diagnostic.file && diagnostic.start !== undefined
            ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
            : -1;
        const where =
          diagnostic.file === undefined
            ? ""
            : (caseAtLine.get(line) ??
              caseAtLine.get(line + 1) ??
              `${path.basename(diagnostic.file.fileName)}:${line + 1}`);
        return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
      });
      expect(problems, `type errors in ${file}`).toEqual([]);
    },
  );
});
