import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { corpusRoot, fixtureRoot } from "@contracts/fixtures";
import { type Mocks, startMocks } from "@contracts/mock";
import { clientPackageDir, listApis } from "@contracts/spec";
import { type AnyCreateClient, describeContract } from "@contracts/testkit/contract";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { failedSpecs, formatResults, runStages, stages } from "../src/index.ts";

// Once for the whole file: the corpus generated, built, type-checked, mocked and verified in a scratch
// workspace, kept for the generated clients' contract tests against the corpus's own mocks.
const { specs, workspace } = await runStages({ registry: corpusRoot, keep: true });
const root = workspace!;
afterAll(() => rm(root, { recursive: true, force: true }));
const generated = specs.filter((spec) => !failedSpecs(specs).includes(spec)).map((spec) => spec.api);

describe("the public corpus", () => {
  it("passes every stage with every spec: lint, generate, build, typecheck, the generated type tests, mock and verify", async () => {
    expect(specs.map((spec) => spec.api)).toEqual((await listApis(corpusRoot)).map((api) => api.id));
    expect(
      failedSpecs(specs).map((spec) => spec.api),
      formatResults(specs),
    ).toEqual([]);
  });
});

// Each generated client's contract tests, as its own test/contract.test.ts runs them, against the corpus's mocks.
for (const id of generated) {
  const client = path.join(clientPackageDir({ id, root }), "src", "index.ts");
  const { createClient } = (await import(pathToFileURL(client).href)) as { createClient: AnyCreateClient };
  await describeContract(id, createClient, { root });
}

// The form bodies whose `encoding` gives each field a style, sent through the generated client: the
// mock reads each field as its encoding says and refuses (422) a body written otherwise.
describe("parameters-style: form bodies through the generated client", () => {
  const id = "parameters-style";
  let mocks: Mocks;
  let client: Record<string, (init: { body: unknown }) => Promise<{ response: Response }>>;
  beforeAll(async () => {
    mocks = await startMocks({ root: corpusRoot, apis: [id] });
    const entry = path.join(clientPackageDir({ id, root }), "src", "index.ts");
    const { createClient } = (await import(pathToFileURL(entry).href)) as { createClient: AnyCreateClient };
    client = createClient({ baseUrl: mocks.urls[id]!, maxRetries: 0 }) as typeof client;
  });
  afterAll(() => mocks?.stop());

  it.each([
    "formData_standard",
    "formData_form_nonExploded",
    "form_data_form_exploded",
    "formData_spaceDelimited_nonExploded",
    "form_data_pipeDelimited_nonExploded",
  ])("%s is accepted", async (method) => {
    const { response } = await client[method]!({
      body: { primitive: "p", array: ["a", "b"], object: { foo: "f", bar: "b" } },
    });
    expect(response.ok, `${response.status} ${response.headers.get("sl-violations")}`).toBe(true);
  });
});

describe("mock and verify --write against the corpus's own mocks", () => {
  it.each(specs.map((spec) => [spec.api, spec] as const))(
    "%s: its mock serves, every case conforms and every operation that documents a 2xx answers one",
    (_id, spec) => {
      console.log(spec.coverage);
      expect(spec.coverage).toMatch(/^Coverage of /);
      expect(
        spec.stages.filter((stage) => ["mock", "verify"].includes(stage.stage)),
        formatResults([spec]),
      ).toEqual([
        { stage: "mock", status: "passed", problems: [] },
        { stage: "verify", status: "passed", problems: [] },
      ]);
    },
  );
});

const webhooksOnly = `openapi: 3.1.0
info:
  title: Hooks
  version: 1.0.0
  license: { name: MIT, identifier: MIT }
webhooks:
  newPet:
    post:
      operationId: newPet
      summary: A new pet
      requestBody:
        content:
          application/json:
            schema: { type: object, required: [id], properties: { id: { type: integer } } }
      responses:
        "200":
          description: Received
`;

describe("runStages", () => {
  it("passes the specs that go through and stops a refused one at its stage, naming the place", async () => {
    const registry = await mkdtemp(path.join(tmpdir(), "corpus-registry-"));
    onTestFinished(() => rm(registry, { recursive: true, force: true }));
    await cp(fixtureRoot, registry, { recursive: true });
    const widgets = path.join(registry, "specs", "widgets.yaml");
    const spec = await readFile(widgets, "utf8");
    const broken = spec.replace("#/components/schemas/WidgetUpdate", "#/components/schemas/Missing");
    expect(broken).not.toBe(spec);
    await writeFile(widgets, broken);

    // A spec of webhooks alone: generated, built and type-checked, with no operation to mock or verify.
    await writeFile(path.join(registry, "specs", "hooks.yaml"), webhooksOnly);
    await writeFile(
      path.join(registry, "redocly.yaml"),
      (await readFile(path.join(registry, "redocly.yaml"), "utf8")).replace(
        "apis:\n",
        "apis:\n  hooks:\n    root: specs/hooks.yaml\n    rules: { operation-4xx-response: off, no-empty-servers: off, security-defined: off }\n",
      ),
    );

    const { specs, workspace } = await runStages({ registry });
    expect(workspace).toBeUndefined();
    const byApi = Object.fromEntries(specs.map((result) => [result.api, result.stages]));
    expect(byApi.widgets!.map((stage) => stage.status)).toEqual(
      stages.map((_, index) => (index === 0 ? "failed" : "not run")),
    );
    expect(byApi.widgets![0]!.problems.join("\n")).toMatch(/^specs\/widgets\.yaml:\d+:\d+ Can't resolve \$ref/m);
    for (const api of ["gadgets", "gizmos"])
      expect(byApi[api], formatResults(specs)).toEqual(
        stages.map((stage) => ({ stage, status: "passed", problems: [] })),
      );
    expect(
      byApi.hooks!.map((stage) => stage.status),
      formatResults(specs),
    ).toEqual(stages.map((stage) => (["mock", "verify"].includes(stage) ? "not applicable" : "passed")));
    expect(formatResults(specs)).toContain("3 of 4 specs pass every stage.");
  });
});
