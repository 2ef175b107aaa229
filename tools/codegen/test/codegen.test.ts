import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { listApis, loadSpec, operationsOf, repoRoot } from "@contracts/spec";
import { fixtureRoot } from "@contracts/testkit/fixtures";
import { afterEach, describe, expect, it } from "vitest";
import { clientPackageDir, generate, SpecError, UnknownApiError } from "../src/index.ts";

const copies: string[] = [];

/**
 * A scratch repository with what generation reads (the fixture registry and specs, client-core's
 * manifest for its version), generated once so each case starts with client packages in sync.
 */
async function scratchRepo(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "codegen-test-"));
  copies.push(root);
  await cp(fixtureRoot, root, { recursive: true });
  await cp(
    path.join(repoRoot, "packages", "client-core", "package.json"),
    path.join(root, "packages", "client-core", "package.json"),
  );
  await generate({ root });
  return root;
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
  await Promise.all(copies.splice(0).map((root) => rm(root, { recursive: true, force: true })));
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
  ])("refuses a spec with %s, names its location and changes no file", async (_case, corrupt, location) => {
    const root = await scratchRepo();
    const before = await generatedContents(root);
    await edit(path.join(root, "specs", "widgets.yaml"), corrupt);
    // Another spec changed too: nothing at all may be written while one spec is broken.
    await edit(path.join(root, "specs", "gadgets.yaml"), (text) =>
      text.replace("summary: Replace the gadget", "summary: Swap the gadget"),
    );
    const failure = generate({ root });
    await expect(failure).rejects.toThrow(SpecError);
    await expect(failure).rejects.toThrow(location);
    for (const spec of ["widgets.yaml", "gadgets.yaml"])
      await cp(path.join(fixtureRoot, "specs", spec), path.join(root, "specs", spec));
    expect(await generatedContents(root)).toEqual(before);
  });

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
    const client = await readFile(path.join(clientPackageDir({ id, root }), "src", "generated", "client.ts"), "utf8");
    expect(client).toContain(`apiKeyEnv: "${id.toUpperCase()}_API_KEY"`);
    for (const operation of operationsOf(await loadSpec(model))) {
      expect(client).toContain(
        `${operation.id}: operationMethod(client, options, "${operation.method}", "${operation.path}", `,
      );
    }
  });
});
