import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@contracts/cli";
import { corpusRoot } from "@contracts/fixtures";
import { listApis, repoRoot } from "@contracts/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dev, startDev } from "../src/index.ts";
import { commitAsMain } from "./repository.ts";

// The dev loop on the public specs nobody fitted it to: a save of each reaches its mock, its docs
// page and its client. Two in depth: museum, whose spec here `$ref`s a Markdown file beside it (added
// to the copy as Bump.sh's `x-topics` do: no spec the corpus keeps refers to another file), and
// tictactoe, which has no `servers`.
const served = (await listApis(corpusRoot)).map((api) => api.id);

let root: string;
let dev: Dev;
const waiting: { id: string; resolve: (line: string) => void }[] = [];

/** The dev loop's log: a line about an API ends the wait for it. */
function log(line: string): void {
  for (const wait of [...waiting])
    if (line.startsWith(`${line.split(" ")[0]} ${wait.id}: `)) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve(line);
    }
}

/** Writes a spec of the scratch corpus; resolves once the dev loop says the save is applied (fails on what it says instead). */
async function save(id: string, edit: (text: string) => string): Promise<void> {
  const file = path.join(root, id, "openapi.yaml");
  const text = await readFile(file, "utf8");
  const edited = edit(text);
  expect(edited).not.toBe(text);
  const said = new Promise<string>((resolve) => waiting.push({ id, resolve }));
  await writeFile(file, edited);
  expect(await said).toMatch(/ saved: lint ok, mock reloaded at .*, client regenerated/);
}

beforeAll(async () => {
  // A scratch copy of the corpus, a git repository (the base of each save's contract impact), with
  // the project's client-core (the generator versions clients by it), node_modules and base tsconfig
  // (the generated clients' imports and compiler settings).
  root = await mkdtemp(path.join(tmpdir(), "dev-corpus-test-"));
  await cp(corpusRoot, root, { recursive: true });
  const museum = path.join(root, "museum", "openapi.yaml");
  const topic = "x-topics:\n  - title: Getting started\n    content:\n      $ref: ./docs/getting-started.md\n";
  await writeFile(museum, `${await readFile(museum, "utf8")}${topic}`);
  await mkdir(path.join(root, "museum", "docs"));
  await writeFile(path.join(root, "museum", "docs", "getting-started.md"), "# Getting started\n\nBuy a ticket.\n");
  await symlink(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  await symlink(path.join(repoRoot, "tsconfig.base.json"), path.join(root, "tsconfig.base.json"));
  await mkdir(path.join(root, "packages"));
  await symlink(path.join(repoRoot, "packages", "client-core"), path.join(root, "packages", "client-core"));
  await commitAsMain(root);
  const ports = Object.fromEntries(await Promise.all(served.map(async (id) => [id, await freePort()] as const)));
  dev = await startDev({ root, apis: served, ports, docsPort: 0, log });
});

afterAll(async () => {
  await dev?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("the dev loop on corpus specs", () => {
  it("museum: a changed example reaches the mock, with the Markdown file its spec refers to still resolved", async () => {
    const events = `${dev.mocks.urls.museum}/special-events`;
    const headers = { authorization: "Basic dXNlcjpwYXNz", accept: "application/json" };
    expect(await (await fetch(events, { headers })).text()).toContain("Sasquatch Ballet");
    await save("museum", (text) => text.replace("name: Sasquatch Ballet\n", "name: Sasquatch Opera\n"));
    const answer = await fetch(events, { headers });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("Sasquatch Opera");
    const page = await fetch(`${dev.docsUrl}/museum.html`).then((response) => response.text());
    expect(page).toContain("Sasquatch Opera");
  });

  it("tictactoe: an added operation is served by the mock and called through the regenerated client", async () => {
    const sizeUrl = `${dev.mocks.urls.tictactoe}/board/size`;
    expect((await fetch(sizeUrl)).status).toBe(404);
    await save("tictactoe", (text) =>
      text.replace(
        "paths:\n",
        `paths:
  /board/size:
    get:
      summary: Get the board size
      tags:
        - Gameplay
      operationId: get-board-size
      security: []
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
                  rows:
                    type: integer
              example:
                rows: 3
`,
      ),
    );
    const client = path.join(root, "packages", "clients", "tictactoe", "src", "index.ts");
    const { createClient } = (await import(client)) as {
      createClient: (options: object) => {
        getBoardSize: () => Promise<{ data?: unknown; status: number }>;
      };
    };
    const { data, status } = await createClient({
      baseUrl: dev.mocks.urls.tictactoe,
      credentials: null,
    }).getBoardSize();
    expect({ status, data }).toEqual({ status: 200, data: { rows: 3 } });
  });
});

describe("every corpus spec reloads on a save", () => {
  it.each(served.filter((id) => !["museum", "tictactoe"].includes(id)))(
    "%s: a changed title is saved, the mock reloaded, the client regenerated and the docs page rebuilt",
    async (id) => {
      await save(id, (text) => text.replace(/^( {2}title: .*)$/m, "$1 (saved in the dev loop)"));
      const page = await fetch(`${dev.docsUrl}/${id}.html`).then((response) => response.text());
      expect(page).toContain("(saved in the dev loop)");
    },
  );
});
