import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "@contracts/codegen";
import { repoRoot } from "@contracts/spec";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { type ApiDiff, changelogSection, diffApis, formatReport, writeChangelog } from "../src/index.ts";

const fixture = fileURLToPath(new URL("./fixture", import.meta.url));
const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const copies: string[] = [];

async function git(root: string, ...args: string[]): Promise<void> {
  await execa("git", ["-c", "user.name=diff test", "-c", "user.email=diff-test@example.test", ...args], { cwd: root });
}

/**
 * A scratch repository holding the fixture registry, spec and client-core manifest with this
 * repository's client-core sources, committed on `main`.
 */
async function scratchRepo(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "diff-test-"));
  copies.push(root);
  await cp(fixture, root, { recursive: true });
  await cp(path.join(repoRoot, "packages", "client-core", "src"), path.join(root, "packages", "client-core", "src"), {
    recursive: true,
  });
  await git(root, "init", "--quiet", "--initial-branch=main");
  await git(root, "add", ".");
  await git(root, "commit", "--quiet", "-m", "base");
  return root;
}

const specOf = (root: string) => path.join(root, "specs", "shop.yaml");

/** A source file of client-core in the scratch repository: `client.ts` holds the options, `types.ts` the results. */
const coreSourceOf = (root: string, file = "client.ts") => path.join(root, "packages", "client-core", "src", file);
const coreManifestOf = (root: string) => path.join(root, "packages", "client-core", "package.json");

/** Applies text replacements to a file; each must match, so a stale edit cannot pass silently. */
async function editFile(file: string, ...replacements: [string | RegExp, string][]): Promise<void> {
  let text = await readFile(file, "utf8");
  for (const [from, to] of replacements) {
    const next = text.replaceAll(from instanceof RegExp ? new RegExp(from.source, "g") : from, to);
    expect(next, `the edit ${from} must change ${file}`).not.toBe(text);
    text = next;
  }
  await writeFile(file, text);
}

const editSpec = (root: string, ...replacements: [string | RegExp, string][]) =>
  editFile(specOf(root), ...replacements);

const version = (to: string): [string, string] => ["version: 1.0.0", `version: ${to}`];
const tightenName: [string, string] = ["maxLength: 40", "maxLength: 30"];
const renameShopSchema: [RegExp, string] = [/\bShop\b(?=['\n:])/, "Store"];

async function shop(root: string): Promise<ApiDiff> {
  const result = await diffApis({ root, base: "HEAD" });
  expect(result.apis.map((api) => api.id)).toEqual(["shop"]);
  return result.apis[0]!;
}

afterEach(async () => {
  await Promise.all(copies.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

describe("the gate on info.version, from a scratch repository diffed against HEAD", () => {
  it("fails a tightened request bound with the version kept, naming the field", async () => {
    const root = await scratchRepo();
    await editSpec(root, tightenName);
    const api = await shop(root);
    expect(api.ok).toBe(false);
    expect(api.impact).toBe("major");
    expect(api.verdict).toMatch(
      /shop: major changes .* need info\.version 2\.0\.0 or later in specs\/shop\.yaml; found 1\.0\.0/,
    );
    const [change] = api.changes;
    expect(change).toMatchObject({
      impact: "major",
      source: "wire",
      operation: "PATCH /shops/{shop_id}",
      pointer: "/components/schemas/UpdateShopRequest/properties/name/maxLength",
    });
    expect(change?.message).toContain("`maxLength` of `name` changed from '40' to '30'");
    expect(change?.location).toMatch(/^specs\/shop\.yaml:\d+$/);
  });

  it("passes the tightened bound with a major bump", async () => {
    const root = await scratchRepo();
    await editSpec(root, tightenName, version("2.0.0"));
    expect(await shop(root)).toMatchObject({ ok: true, impact: "major", neededVersion: "2.0.0", headVersion: "2.0.0" });
  });

  it("fails the tightened bound with only a minor bump", async () => {
    const root = await scratchRepo();
    await editSpec(root, tightenName, version("1.1.0"));
    expect(await shop(root)).toMatchObject({ ok: false, neededVersion: "2.0.0", headVersion: "1.1.0" });
  });

  it("fails an operationId rename with a minor bump: the client loses its method", async () => {
    const root = await scratchRepo();
    await editSpec(root, ["operationId: updateShop", "operationId: editShop"], version("1.1.0"));
    const api = await shop(root);
    expect(api.ok).toBe(false);
    expect(api.changes).toContainEqual(
      expect.objectContaining({ impact: "major", source: "wire", message: expect.stringContaining("updateShop") }),
    );
    expect(api.changes).toContainEqual(
      expect.objectContaining({
        impact: "major",
        source: "client",
        pointer: "client.updateShop()",
        operation: "PATCH /shops/{shop_id}",
      }),
    );
    expect(api.changes).toContainEqual(
      expect.objectContaining({ impact: "minor", source: "client", pointer: "client.editShop()" }),
    );
  });

  it("passes an optional response property added with a minor bump", async () => {
    const root = await scratchRepo();
    await editSpec(
      root,
      [
        "          description: The shop's name.\n",
        "          description: The shop's name.\n        city:\n          type: string\n          description: Where it is.\n",
      ],
      version("1.1.0"),
    );
    const api = await shop(root);
    expect(api).toMatchObject({ ok: true, impact: "minor" });
    expect(api.changes.filter((change) => change.impact !== "minor")).toEqual([]);
  });

  it("fails a response property made optional with a patch bump, naming it", async () => {
    const root = await scratchRepo();
    await editSpec(root, ["        - id\n        - name\n", "        - id\n"], version("1.0.1"));
    const api = await shop(root);
    expect(api).toMatchObject({ ok: false, impact: "major", neededVersion: "2.0.0" });
    expect(api.changes).toContainEqual(
      expect.objectContaining({
        impact: "major",
        source: "wire",
        message: expect.stringMatching(/no longer required: `name`/),
      }),
    );
    // The generated response type widened too: old callers reading `name` as a string break.
    expect(api.changes).toContainEqual(
      expect.objectContaining({
        impact: "major",
        source: "client",
        pointer: "UpdateShopResponse",
        message: expect.stringContaining("property `name`"),
      }),
    );
  });

  it("fails a component schema renamed with every $ref and a patch bump, naming the old name: the wire is equal, the client's types are not", async () => {
    const root = await scratchRepo();
    await editSpec(root, renameShopSchema, version("1.0.1"));
    const api = await shop(root);
    expect(api.changes.filter((change) => change.source === "wire").every((change) => change.impact === "patch")).toBe(
      true,
    );
    expect(api).toMatchObject({ ok: false, impact: "major" });
    expect(api.changes).toContainEqual(
      expect.objectContaining({
        impact: "major",
        source: "client",
        pointer: 'Schemas["Shop"]',
        message: expect.stringContaining('"Shop"'),
      }),
    );
  });

  it("passes the same rename with a major bump", async () => {
    const root = await scratchRepo();
    await editSpec(root, renameShopSchema, version("2.0.0"));
    expect(await shop(root)).toMatchObject({ ok: true, impact: "major" });
  });

  it("passes no change, generating nothing", async () => {
    const root = await scratchRepo();
    expect(await shop(root)).toMatchObject({ ok: true, status: "unchanged", changes: [] });
  });

  it("fails a generator change with the spec unchanged: the committed client lost an export its callers used", async () => {
    const root = await scratchRepo();
    // The client as an older generator wrote and committed it: one export more than today's writes.
    await generate({ root });
    const client = path.join(root, "packages", "clients", "shop", "src", "generated", "client.ts");
    await writeFile(client, `${await readFile(client, "utf8")}export const legacyExport = 1;\n`);
    await git(root, "add", ".");
    await git(root, "commit", "--quiet", "-m", "client of an older generator");
    await generate({ root });
    const diff = await shop(root);
    expect(diff).toMatchObject({ ok: false, impact: "major", neededVersion: "2.0.0" });
    expect(diff.changes).toContainEqual(expect.objectContaining({ impact: "major", pointer: "legacyExport" }));
  });

  it("fails a version lowered without a contract change", async () => {
    const root = await scratchRepo();
    await editSpec(root, version("0.9.0"));
    expect(await shop(root)).toMatchObject({ ok: false, changes: [] });
  });

  it("asks for a patch bump when client-core's version moves: every client's dependency range changes", async () => {
    const root = await scratchRepo();
    await editFile(coreManifestOf(root), ['"0.1.0"', '"0.2.0"']);
    const kept = await shop(root);
    expect(kept).toMatchObject({ ok: false, impact: "patch", neededVersion: "1.0.1" });
    expect(kept.changes).toEqual([
      expect.objectContaining({ source: "client", message: "dependency @contracts/client-core ^0.1.0 -> ^0.2.0" }),
    ]);
    await editSpec(root, version("1.0.1"));
    expect(await shop(root)).toMatchObject({ ok: true });
  });

  it("names the file and line of a spec that is not YAML, without a stack trace", async () => {
    const root = await scratchRepo();
    await editSpec(root, ["  title: Shop\n", "  title: [Shop\n"]);
    await expect(diffApis({ root, base: "HEAD" })).rejects.toThrow(/specs\/shop\.yaml:\d+:\d+ /);
  });

  it("passes a spec that is new since the base", async () => {
    const root = await scratchRepo();
    await writeFile(
      path.join(root, "redocly.yaml"),
      (await readFile(path.join(root, "redocly.yaml"), "utf8")).replace(
        "apis:\n",
        "apis:\n  shop2:\n    root: specs/shop2.yaml\n",
      ),
    );
    await cp(specOf(root), path.join(root, "specs", "shop2.yaml"));
    const result = await diffApis({ root, base: "HEAD" });
    const added = result.apis.find((api) => api.id === "shop2")!;
    expect(added).toMatchObject({ ok: true, status: "new", headVersion: "1.0.0" });
    expect(result.ok).toBe(true);
    expect(await writeChangelog(added, root, "@contracts/shop2")).toBe(true);
    expect(await readFile(path.join(root, "CHANGELOG.md"), "utf8")).toBe(
      "# @contracts/shop2\n\n## 1.0.0\n\nFirst version, generated from `specs/shop2.yaml`.\n",
    );
  });
});

describe("the gate on client-core's version, from a scratch repository diffed against HEAD", () => {
  const apiKey = "  apiKey?: string | CredentialProvider | null;\n";
  const narrowApiKey: [string, string] = [apiKey, "  apiKey?: string | CredentialProvider;\n"];
  const addOption: [string, string] = [apiKey, `${apiKey}  userAgent?: string;\n`];

  it("demands a major version when a change to its public types breaks callers", async () => {
    const root = await scratchRepo();
    // Callers that passed `apiKey: null` (no credentials) no longer compile.
    await editFile(coreSourceOf(root), narrowApiKey);
    const result = await diffApis({ root, base: "HEAD" });
    expect(result.ok).toBe(false);
    expect(result.clientCore).toMatchObject({
      status: "changed",
      ok: false,
      impact: "major",
      neededVersion: "1.0.0",
      headVersion: "0.1.0",
    });
    expect(result.clientCore?.changes).toContainEqual(
      expect.objectContaining({
        impact: "major",
        source: "client-core",
        pointer: "ClientOptions",
        message: expect.stringMatching(/`ClientOptions` no longer accepts every value it accepted: .*null/),
      }),
    );
    expect(formatReport(result)).toMatch(
      /FAIL client-core: major changes since \w+ need version 1\.0\.0 or later in packages\/client-core\/package\.json; found 0\.1\.0\./,
    );
    await editFile(coreManifestOf(root), ['"0.1.0"', '"1.0.0"']);
    expect((await diffApis({ root, base: "HEAD" })).clientCore).toMatchObject({ ok: true, impact: "major" });
  });

  it("asks no major version for a compatible change: an option added is minor", async () => {
    const root = await scratchRepo();
    // With a generated client, whose callers must see no change either.
    await generate({ root });
    await editFile(coreSourceOf(root), addOption);
    const { clientCore } = await diffApis({ root, base: "HEAD" });
    expect(clientCore).toMatchObject({ ok: false, impact: "minor", neededVersion: "0.2.0" });
    // `AnyClientOptions` (what createApiClient takes) extends ClientOptions: it gains the option too.
    expect(clientCore?.changes).toEqual([
      expect.objectContaining({ impact: "minor", source: "client-core", pointer: "AnyClientOptions.userAgent" }),
      expect.objectContaining({ impact: "minor", source: "client-core", pointer: "ClientOptions.userAgent" }),
    ]);
    await editFile(coreManifestOf(root), ['"0.1.0"', '"0.2.0"']);
    expect((await diffApis({ root, base: "HEAD" })).clientCore).toMatchObject({ ok: true, impact: "minor" });
  });

  it("judges a generic type by what it gives each generated client's callers", async () => {
    const root = await scratchRepo();
    await generate({ root });
    // A success result may now carry `data: null`: every typed method may return what it did not.
    await editFile(coreSourceOf(root, "types.ts"), [
      "| { data: SuccessBodyOf<Operation>; error?: never;",
      "| { data: SuccessBodyOf<Operation> | null; error?: never;",
    ]);
    const { clientCore } = await diffApis({ root, base: "HEAD" });
    expect(clientCore).toMatchObject({ ok: false, impact: "major" });
    expect(clientCore?.changes).toContainEqual(
      expect.objectContaining({
        impact: "major",
        source: "client-core",
        operation: "PATCH /shops/{shop_id}",
        pointer: "client.updateShop()",
        message: expect.stringContaining("in packages/clients/shop: `client.updateShop()` may return what it did not"),
      }),
    );
  });

  it("passes sources left as they were, comparing nothing", async () => {
    const root = await scratchRepo();
    expect((await diffApis({ root, base: "HEAD" })).clientCore).toMatchObject({
      ok: true,
      status: "unchanged",
      changes: [],
    });
  });

  it("is not judged when an API is named", async () => {
    const root = await scratchRepo();
    await editFile(coreSourceOf(root), narrowApiKey);
    const result = await diffApis({ root, base: "HEAD", apis: ["shop"] });
    expect(result.ok).toBe(true);
    expect(result.clientCore).toBeUndefined();
  });
});

describe("the default base", () => {
  it("is the merge-base with main: a committed branch change is compared with main", async () => {
    const root = await scratchRepo();
    await git(root, "checkout", "--quiet", "-b", "feature");
    await editSpec(root, version("1.0.1"));
    await git(root, "commit", "--quiet", "-am", "bump");
    const result = await diffApis({ root });
    expect(result.apis[0]).toMatchObject({ status: "changed", baseVersion: "1.0.0", headVersion: "1.0.1", ok: true });
  });

  it("says so when there is no main branch to take it from", async () => {
    const root = await scratchRepo();
    await git(root, "branch", "-m", "main", "trunk");
    await expect(diffApis({ root })).rejects.toThrow(
      'There is no "main" branch (nor "origin/main") to take the merge-base with. Pass --base <ref>.',
    );
  });
});

describe("changelog", () => {
  const api: ApiDiff = {
    id: "shop",
    specFile: "specs/shop.yaml",
    status: "changed",
    baseVersion: "1.0.0",
    headVersion: "2.0.0",
    changes: [
      {
        impact: "major",
        source: "wire",
        operation: "PATCH /shops/{shop_id}",
        pointer: "/components/schemas/UpdateShopRequest/properties/name/maxLength",
        message: "`maxLength` of `name` changed from '40' to '30'.",
      },
      { impact: "minor", source: "client", pointer: "client.editShop()", message: "method `client.editShop()` added" },
    ],
    impact: "major",
    ok: true,
    verdict: "",
  };

  it("writes one section per version, newest first, replacing the same version's earlier entry", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "diff-changelog-"));
    copies.push(dir);
    await writeFile(
      path.join(dir, "CHANGELOG.md"),
      "# @contracts/shop\n\n## 1.1.0\n\n### Minor Changes\n\n- older entry\n",
    );
    await writeChangelog(api, dir, "@contracts/shop");
    await writeChangelog({ ...api, changes: api.changes.slice(0, 1) }, dir, "@contracts/shop");
    const text = await readFile(path.join(dir, "CHANGELOG.md"), "utf8");
    expect(text).toBe(
      `# @contracts/shop\n\n${changelogSection({ ...api, changes: api.changes.slice(0, 1) })}\n## 1.1.0\n\n### Minor Changes\n\n- older entry\n`,
    );
    expect(text).toContain(
      "### Major Changes\n\n- `PATCH /shops/{shop_id}` `/components/schemas/UpdateShopRequest/properties/name/maxLength`: `maxLength` of `name`",
    );
  });
});

describe("the CLI", () => {
  it("prints the usage and exits 2 on an unknown flag", async () => {
    const result = await execa("node", [cli, "--frobnicate"], { reject: false, all: true });
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("Usage: contracts-diff");
    expect(result.all).not.toContain("    at ");
  });
});
