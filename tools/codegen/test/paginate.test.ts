// Automatic pagination end to end: the fixture API whose lists page one way each (cursor found in
// the spec, next link declared, Link header) is generated, and its client's `paginate` walks each
// list to the end against a real Prism mock and against its own MSW handlers, both serving pages
// by client-core's one rule (`pageAnswer`). An operation that does not page has no entry.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pagesRoot } from "@contracts/fixtures";
import { type Mocks, startMocks } from "@contracts/mock";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientPackageDir } from "../src/index.ts";
import { collect, generatedModule, removeScratchRepos, scratchRepo } from "./scratch.ts";
import { tsFilesOf, typecheckGenerated } from "./typecheck.ts";

type Walk = AsyncIterable<unknown> & { pages(): AsyncIterable<{ status: number; data?: unknown }> };
type Paging = { paginate: Record<string, (init?: object) => Walk> };

const example = {
  listItems: [
    { id: "item-1", name: "first" },
    { id: "item-2", name: "second" },
  ],
  listEvents: [{ kind: "created", at: "2026-01-02T03:04:05Z" }],
  listLogs: ["started", "stopped"],
};
/** The mocks serve three pages of the spec's example items (client-core's `mockPages`). */
const walked = (items: unknown[]) => [...items, ...items, ...items];

let root: string;
// biome-ignore lint/suspicious/noExplicitAny: the generated module's exports, read as this test uses them
let generated: Record<string, any>;
let prism: Mocks;
beforeAll(async () => {
  root = await scratchRepo(pagesRoot);
  generated = await generatedModule(root, "listings");
  prism = await startMocks({ root, apis: ["listings"] });
});
afterAll(async () => {
  await prism?.stop();
  await removeScratchRepos();
});

describe("against the Prism mock", () => {
  const client = () => generated.createClient({ apiKey: "test-key", baseUrl: prism.urls.listings }) as Paging;

  it.each(Object.entries(example))("%s: every item of every page, to the end", async (name, items) => {
    expect(await collect(client().paginate[name]!())).toEqual(walked(items));
  });

  it("forwards the call's parameters to every page", async () => {
    const pages = await collect(client().paginate.listItems!({ params: { query: { limit: 2 } } }).pages());
    expect(pages.map(({ status }) => status)).toEqual([200, 200, 200]);
  });

  it("serves page 1 with a cursor to page 2, and the documented example as written when Prefer picks it", async () => {
    const paged = await generated.createClient({ apiKey: "test-key", baseUrl: prism.urls.listings }).listItems();
    expect(paged.data).toMatchObject({ has_more: true, last_id: "2" });
    const chosen = await generated
      .createClient({ apiKey: "test-key", baseUrl: prism.urls.listings })
      .listItems({ headers: { Prefer: "example=page" } });
    expect(chosen.data).toMatchObject({ has_more: true, last_id: "item-2" });
  });

  it("has entries only for the lists that page", () => {
    expect(Object.keys(client().paginate).sort()).toEqual(["listEvents", "listItems", "listLogs"]);
  });
});

describe("against the client's MSW handlers", () => {
  let server: ReturnType<typeof setupServer>;
  beforeAll(async () => {
    const { handlers } = await import(`${root}/packages/clients/listings/src/msw.ts`);
    server = setupServer(...handlers);
    server.listen({ onUnhandledFrame: "error" });
  });
  afterAll(() => server?.close());

  it.each(Object.entries(example))("%s: every item of every page, to the end", async (name, items) => {
    const client = generated.createClient({ apiKey: "test-key" }) as Paging;
    expect(await collect(client.paginate[name]!())).toEqual(walked(items));
  });
});

describe("the generated package", () => {
  /** A caller's code: each walk's items typed as its list's items; what is not a list that pages refused. */
  const callerCode = `import { createClient } from "@contracts/listings";

const client = createClient({ apiKey: "k" });
export async function walk(): Promise<string[]> {
  const seen: string[] = [];
  for await (const item of client.paginate.listItems({ params: { query: { limit: 2 } } })) seen.push(item.id, item.name);
  for await (const event of client.paginate.listEvents()) seen.push(event.kind, event.at);
  for await (const line of client.paginate.listLogs()) seen.push(line);
  for await (const page of client.paginate.listItems().pages()) if (page.status === 200) seen.push(page.data.data[0]!.id);
  // @ts-expect-error getItem answers one item: it does not page
  client.paginate.getItem;
  // @ts-expect-error an item has the list item's properties only
  for await (const item of client.paginate.listItems()) seen.push(item.title);
  // @ts-expect-error the call's query is typed by the spec
  client.paginate.listItems({ params: { query: { limit: "two" } } });
  return seen;
}
`;

  it("compiles, its README's pagination example and type tests included, and a caller's misuse does not", async () => {
    const dir = clientPackageDir({ id: "listings", root });
    await writeFile(path.join(dir, "test", "caller.ts"), callerCode);
    expect(typecheckGenerated(root, await tsFilesOf(dir))).toEqual([]);
  });

  it("documents each list's paging in its README, with the example it compiles", async () => {
    const dir = clientPackageDir({ id: "listings", root });
    const readme = await readFile(path.join(dir, "README.md"), "utf8");
    const example = (await readFile(path.join(dir, "test", "pagination-example.ts"), "utf8")).split("\n").slice(2);
    expect(readme).toContain("## Pagination");
    expect(readme).toContain("| `paginate.listItems` | cursor | `/data` |");
    expect(readme).toContain("| `paginate.listLogs` | link-header | the body |");
    expect(readme).toContain(example.join("\n"));
  });
});
