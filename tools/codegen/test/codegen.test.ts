import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fixtureRoot } from "@contracts/fixtures";
import {
  defaultServerUrl,
  exampleCall,
  firstSchemeOf,
  listApis,
  loadSpec,
  type Operation,
  operationsOf,
  repoRoot,
  resolveRef,
  responsesOf,
} from "@contracts/spec";
import ts from "typescript";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientPackageDir, generate, readSurface, SpecError, UnknownApiError } from "../src/index.ts";
import { apiModel } from "../src/model.ts";
import { generatedClient, removeScratchRepos, scratchRepo } from "./scratch.ts";

/** `{ params, body }` of the operation's example call. */
function exampleInit(document: Awaited<ReturnType<typeof loadSpec>>, operation: Operation) {
  const { pathParameters, body } = exampleCall(document, operation);
  return { params: { path: pathParameters }, ...(body !== undefined && { body }) };
}

/** A fetch answering every request with `status` at once, recording what it was sent. */
function answering(status: number, headers: Record<string, string> = {}) {
  const sent: Request[] = [];
  const fetch = async (request: Request) => {
    sent.push(request);
    return new Response("{}", { status, headers: { "content-type": "application/json", ...headers } });
  };
  return { fetch, sent };
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const text = await readFile(file, "utf8");
  const changed = change(text);
  expect(changed, `the edit of ${file} must change it`).not.toBe(text);
  await writeFile(file, changed);
}

/** `base`, or `base2`, `base3`...: an API id the registry does not hold yet, whatever APIs a user added. */
function absentId(ids: string[], base: string): string {
  let id = base;
  for (let suffix = 2; ids.includes(id); suffix++) id = `${base}${suffix}`;
  return id;
}

const registryIds = async (root?: string) => (await listApis(root)).map((api) => api.id);

async function generatedContents(root: string): Promise<Record<string, string>> {
  const result = await generate({ root, check: true });
  expect(result.failures).toEqual([]);
  expect(result.stale).toEqual([]);
  const files = await Promise.all(
    (await registryIds(root)).map(async (id) => {
      const dir = clientPackageDir({ id, root });
      return [
        id,
        (await readFile(path.join(dir, "src", "generated", "client.ts"), "utf8")) +
          (await readFile(path.join(dir, "src", "generated", "schema.ts"), "utf8")),
      ] as const;
    }),
  );
  return Object.fromEntries(files);
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await removeScratchRepos();
});

describe("generate", () => {
  it("changes nothing when the specs have not changed", async () => {
    const root = await scratchRepo();
    expect((await generate({ root })).changed).toEqual([]);
  });

  it("with check, names every file a spec edit made stale, and generate brings them back in line", async () => {
    const root = await scratchRepo();
    await edit(path.join(root, "specs", "widgets.yaml"), (text) =>
      text.replace("summary: Update a widget", "summary: Change a widget"),
    );
    const { stale } = await generate({ root, check: true });
    expect(stale.map((file) => path.relative(root, file.path)).sort()).toEqual([
      "packages/clients/widgets/README.md",
      "packages/clients/widgets/src/generated/client.ts",
      "packages/clients/widgets/src/generated/schema.ts",
    ]);
    await generate({ root });
    expect((await generate({ root, check: true })).stale).toEqual([]);
  });

  it.each([
    [
      "a YAML syntax error",
      (text: string) => text.replace("paths:\n", "paths:\n  - [\n"),
      /specs\/widgets\.yaml:\d+:\d+ /,
    ],
    [
      "an unresolvable $ref",
      (text: string) => text.replace("#/components/schemas/WidgetUpdate", "#/components/schemas/Missing"),
      /specs\/widgets\.yaml:\d+:\d+ Can't resolve \$ref/,
    ],
    [
      "an example that violates its schema",
      // The first `label: Blue` is the request example's; the schema wants at least one character.
      (text: string) => text.replace("label: Blue\n", "label: ''\n"),
      /specs\/widgets\.yaml:\d+:\d+ Example value must conform to the schema/,
    ],
  ])(
    "refuses a spec with %s, names its location and leaves its package as it was, generating the others",
    async (_case, corrupt, location) => {
      const root = await scratchRepo();
      const before = await generatedContents(root);
      await edit(path.join(root, "specs", "widgets.yaml"), corrupt);
      await edit(path.join(root, "specs", "gadgets.yaml"), (text) =>
        text.replace("summary: Replace the gadget", "summary: Swap the gadget"),
      );
      const { apis, changed, failures } = await generate({ root });
      expect(failures.map((failure) => failure.api)).toEqual(["widgets"]);
      expect(failures[0]!.error).toBeInstanceOf(SpecError);
      expect(failures[0]!.error.message).toMatch(location);
      expect(apis).not.toContain("widgets");
      expect(changed.map((file) => path.relative(root, file))).toContain("packages/clients/gadgets/README.md");
      // Back to the fixture's widgets spec: its package must be the one generated before the break.
      await cp(path.join(fixtureRoot, "specs", "widgets.yaml"), path.join(root, "specs", "widgets.yaml"));
      const after = await generatedContents(root);
      expect(after.widgets).toBe(before.widgets);
      expect(after.gadgets).not.toBe(before.gadgets);
    },
  );

  it("rejects an unknown API id, listing the known ones", async () => {
    const ids = await registryIds(fixtureRoot);
    const unknown = absentId(ids, "widgts");
    await expect(generate({ root: fixtureRoot, apis: [unknown] })).rejects.toThrow(UnknownApiError);
    await expect(generate({ root: fixtureRoot, apis: [unknown] })).rejects.toThrow(
      `"${unknown}". The registry (redocly.yaml) lists: ${ids.join(", ")}.`,
    );
  });

  it("generates one more API from its spec and one registry line, with no generator change", async () => {
    const root = await scratchRepo();
    const apis = await listApis(root);
    const model = apis.at(-1)!;
    const id = absentId(
      apis.map((api) => api.id),
      "acme",
    );
    await cp(model.specPath, path.join(root, "specs", `${id}.yaml`));
    await edit(path.join(root, "redocly.yaml"), (text) =>
      text.replace("apis:\n", `apis:\n  ${id}:\n    root: specs/${id}.yaml\n`),
    );
    const { changed } = await generate({ root, apis: [id] });
    expect(changed.map((file) => path.relative(root, file))).toContain(
      `packages/clients/${id}/src/generated/client.ts`,
    );
    // The new client works as the spec says: the key from <ID>_API_KEY, one method per operation.
    const document = await loadSpec(model);
    vi.stubEnv(`${id.toUpperCase()}_API_KEY`, "acme-key");
    const { fetch, sent } = answering(200);
    const client = (await generatedClient(root, id))({ fetch });
    for (const operation of operationsOf(document)) {
      const credentials = firstSchemeOf(document, operation)!;
      await client[operation.id]!(exampleInit(document, operation));
      const request = sent.at(-1)!;
      expect(request.method).toBe(operation.method.toUpperCase());
      expect(request.url).toBe(`${defaultServerUrl(document)}${exampleCall(document, operation).path}`);
      expect(request.headers.get(credentials.name)).toBe(`${credentials.prefix}acme-key`);
    }
    expect(sent).toHaveLength(operationsOf(document).length);
  });
});

describe("the declared surface", () => {
  it("names what the compiled package exports: each operation's method and types, createClient and Schemas", async () => {
    const root = await scratchRepo();
    const apis = await listApis(root);
    const surfaces = await Promise.all(apis.map((api) => readSurface(clientPackageDir(api))));
    const entries = apis.map((api, index) => path.join(clientPackageDir(api), surfaces[index]!.entry));
    const program = ts.createProgram(entries, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      paths: { "@contracts/client-core": [path.join(repoRoot, "packages", "client-core", "src", "index.ts")] },
    });
    const checker = program.getTypeChecker();
    for (const [index, api] of apis.entries()) {
      const surface = surfaces[index]!;
      const document = await loadSpec(api);
      const exports = new Map(
        checker
          .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entries[index]!)!)!)
          .map((symbol) => [symbol.name, symbol]),
      );
      const exported = (name: string) => {
        const symbol = exports.get(name);
        expect(symbol, `${api.id} exports ${name}`).toBeDefined();
        return symbol!.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol!) : symbol!;
      };
      const client = checker.getTypeOfSymbol(exported(surface.createClient)).getCallSignatures()[0]!.getReturnType();
      const schemas = checker.getDeclaredTypeOfSymbol(exported(surface.schemas));
      expect(surface.operations.map((operation) => operation.operationId)).toEqual(
        operationsOf(document).map((operation) => operation.id),
      );
      for (const operation of surface.operations) {
        expect(client.getProperty(operation.method), `${api.id}: client.${operation.method}()`).toBeDefined();
        for (const name of [...operation.inputs, ...operation.outputs]) {
          expect(exported(name).flags & ts.SymbolFlags.Type, `${api.id}: ${name} is a type`).not.toBe(0);
        }
      }
      expect(
        schemas
          .getProperties()
          .map((property) => property.name)
          .sort(),
      ).toEqual(Object.keys(document.components?.schemas ?? {}).sort());
    }
  });
});

describe("response validation", () => {
  // Each success answer of the fixtures is an object with required properties: without the first of them.
  it("rejects an answer missing a required property with its pointer when a call asks, with the generated checks", async () => {
    const root = await scratchRepo();
    for (const api of await listApis(root)) {
      const document = await loadSpec(api);
      const [operation] = operationsOf(document);
      const success = responsesOf(document, operation!).find((response) => /^2/.test(response.status))!;
      const schema = resolveRef(document, success.schema!) as { required?: string[] };
      const [missing] = schema.required ?? [];
      expect(missing, `${api.id}: the success schema requires a property`).toBeDefined();
      const body = { ...(success.firstExample!.value as Record<string, unknown>) };
      delete body[missing!];
      const fetch = async () =>
        new Response(JSON.stringify(body), {
          status: Number(success.status),
          headers: { "content-type": "application/json" },
        });
      const client = (await generatedClient(root, api.id))({ apiKey: "k", fetch });
      const init = exampleInit(document, operation!);
      expect((await client[operation!.id]!(init)).status).toBe(Number(success.status));
      const failure = await client[operation!.id]!({ ...init, validateResponses: true }).catch(
        (error: unknown) => error,
      );
      expect(failure, api.id).toMatchObject({
        name: "ResponseValidationError",
        status: Number(success.status),
        violations: expect.arrayContaining([{ pointer: "", message: `must have required property '${missing}'` }]),
      });
    }
  });
  it("checks a status the spec documents only under `default` against that schema", async () => {
    const root = await scratchRepo();
    const [api] = await listApis(root);
    const [operation] = operationsOf(await loadSpec(api!));
    await edit(api!.specPath, (text) =>
      text.replace(
        /^(\s+)responses:\n/m,
        (_match, indent: string) =>
          `${indent}responses:\n${indent}  default:\n${indent}    description: Any other answer.\n` +
          `${indent}    content:\n${indent}      application/json:\n${indent}        schema:\n` +
          `${indent}          type: object\n${indent}          required: [reason]\n` +
          `${indent}          properties:\n${indent}            reason:\n${indent}              type: string\n`,
      ),
    );
    expect((await generate({ root, apis: [api!.id] })).failures).toEqual([]);
    const fetch = async () => new Response("{}", { status: 503, headers: { "content-type": "application/json" } });
    const client = (await generatedClient(root, api!.id))({ apiKey: "k", fetch, maxRetries: 0 });
    const init = { ...exampleInit(await loadSpec(api!), operation!), validateResponses: true };
    const failure = await client[operation!.id]!(init).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      name: "ResponseValidationError",
      status: 503,
      violations: [{ pointer: "", message: "must have required property 'reason'" }],
    });
  });
});

describe("the retry rule", () => {
  // The fixture specs hold a PATCH, a PUT and a POST: only the PUT is idempotent by HTTP's rule.
  it("retries PUT by default and sends a PATCH or a POST once, in the generated client", async () => {
    const root = await scratchRepo();
    for (const api of await listApis(root)) {
      const document = await loadSpec(api);
      for (const operation of operationsOf(document)) {
        const { fetch, sent } = answering(503, { "retry-after-ms": "0" });
        const client = (await generatedClient(root, api.id))({ apiKey: "k", fetch });
        expect((await client[operation.id]!(exampleInit(document, operation))).status).toBe(503);
        expect(sent, `${operation.method} ${operation.path}`).toHaveLength(operation.method === "put" ? 3 : 1);
      }
    }
  });

  it("takes an operation's x-idempotent over its method", async () => {
    for (const api of await listApis(fixtureRoot)) {
      const document = structuredClone(await loadSpec(api));
      const operations = operationsOf(document);
      for (const operation of operations)
        Object.assign(operation.object, { "x-idempotent": operation.method === "post" });
      expect(apiModel(api, document).operations.map((operation) => operation.client.retried)).toEqual(
        operations.map((operation) => operation.method === "post"),
      );
    }
  });
});
