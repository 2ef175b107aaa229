// `client.paginate.<method>()` walked against the MSW engine's page rule (the one both mocks serve),
// one API per pagination style, and against hand-written answers for what a mock never gives: a
// repeated cursor or link, an error page, an abort.
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiUserAbortError, createApiClient, type Pagination, PaginationError, withPagination } from "../src/index.ts";
import { mockPages } from "../src/mock.ts";
import { type MockDescription, type MockOperation, mockApi } from "../src/msw.ts";

const base = "http://pages.test";
const items = [{ id: "a" }, { id: "b" }];

const styles: Record<string, { pagination: Pagination; example: unknown; query?: string }> = {
  cursor: {
    pagination: { style: "cursor", cursorParam: "after", nextCursor: "/last_id", hasMore: "/has_more", items: "/data" },
    example: { data: items, has_more: true, last_id: "b" },
    query: "after",
  },
  // DigitalOcean's batches: a cursor whose schema asks for a form (`format: uuid`), sampled by the spec layer.
  uuidCursor: {
    pagination: {
      style: "cursor",
      cursorParam: "after",
      nextCursor: "/last_id",
      hasMore: "/has_more",
      items: "/data",
      cursorSample: "497f6eca-6276-4993-bfeb-53cbbbba6f0b",
    },
    example: { data: items, has_more: true, last_id: "b" },
    query: "after",
  },
  cursorWithoutHasMore: {
    pagination: { style: "cursor", cursorParam: "cursor", nextCursor: "/next_cursor", items: "/items" },
    example: { items, next_cursor: "b" },
    query: "cursor",
  },
  nextLink: {
    pagination: { style: "next-link", next: "/links/pages/next", items: "/droplets" },
    example: { droplets: items, links: { pages: { next: `${base}/nextLink?page=2` } } },
  },
  linkHeader: { pagination: { style: "link-header", items: "" }, example: items },
};

const operation = (name: string, { pagination, example, query }: (typeof styles)[string]): MockOperation => ({
  method: "get",
  path: `/${name}`,
  security: [],
  parameters: query ? [{ name: query, in: "query" }] : [],
  responses: [{ status: "200", mediaType: "application/json", examples: [{ name: "page", value: example }] }],
  pagination,
});

const mocks: MockDescription = {
  defaultBaseUrl: base,
  schemes: {},
  operations: Object.fromEntries(Object.entries(styles).map(([name, style]) => [name, operation(name, style)])),
  checks: { requestViolationsOf: () => [], violationsOf: () => [] },
};

type Walk = AsyncIterable<unknown> & { pages(): AsyncIterable<{ status: number; data?: unknown; response: Response }> };
type Paging = { paginate: Record<string, (init?: object) => Walk> };

/** A client of GET /<name> for each of `paginations`, each with its `paginate` entry. */
function paging(paginations: Record<string, Pagination>, fetch?: (request: Request) => Promise<Response>) {
  const operations = Object.fromEntries(
    Object.keys(paginations).map((name) => [name, ["get", `/${name}`, true] as const]),
  );
  const client = createApiClient(
    { title: "Pages", defaultBaseUrl: base, operations, validators: async () => ({ violationsOf: () => [] }) },
    { maxRetries: 0, ...(fetch && { fetch }) },
  );
  return withPagination(client, paginations) as unknown as Paging;
}

const server = setupServer(...mockApi(mocks).handlers);
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());

const collect = async <T>(iterable: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
};

describe("walking the mock's pages to the end", () => {
  const client = paging(Object.fromEntries(Object.entries(styles).map(([name, { pagination }]) => [name, pagination])));

  it.each(Object.keys(styles))("%s: every item of every page, then the walk ends", async (name) => {
    const all = await collect(client.paginate[name]!());
    expect(all).toEqual(Array.from({ length: mockPages }, () => items).flat());
  });

  it.each(Object.keys(styles))("%s: .pages() yields each page's result, each from its own URL", async (name) => {
    const pages = await collect(client.paginate[name]!().pages());
    expect(pages.map(({ status }) => status)).toEqual([200, 200, 200]);
    expect(new Set(pages.map(({ response }) => response.url)).size).toBe(mockPages);
  });

  it("sends nothing until iteration starts", async () => {
    const sent: string[] = [];
    const client = paging({ cursor: styles.cursor!.pagination }, async (request) => {
      sent.push(request.url);
      return fetch(request);
    });
    const walk = client.paginate.cursor!();
    expect(sent).toEqual([]);
    await collect(walk);
    expect(sent.map((url) => new URL(url).search)).toEqual(["", "?after=2", "?after=3"]);
  });

  it("writes a cursor in its sample's form, the page's digit over the sample's last digit", async () => {
    const pages = await collect(client.paginate.uuidCursor!().pages());
    expect(pages.map(({ data }) => (data as { last_id: string }).last_id)).toEqual([
      "497f6eca-6276-4993-bfeb-53cbbbba6f2b",
      "497f6eca-6276-4993-bfeb-53cbbbba6f3b",
      "497f6eca-6276-4993-bfeb-53cbbbba6f4b",
    ]);
  });
});

/** A fetch answering each request with the next of `bodies` (and its headers), recording the URLs it sends. */
function answering(bodies: { body: unknown; status?: number; headers?: Record<string, string> }[]) {
  const sent: string[] = [];
  const fetch = async (request: Request) => {
    request.signal.throwIfAborted(); // as fetch does
    sent.push(request.url);
    const { body, status = 200, headers } = bodies[sent.length - 1] ?? { body: { data: [] } };
    return Response.json(body, { status, headers });
  };
  return { fetch, sent };
}

describe("the Link header", () => {
  it('follows its rel="next" among other links, and ends on a header without one', async () => {
    const { fetch, sent } = answering([
      { body: items, headers: { link: `<${base}/list?page=1>; rel="first", <${base}/list?page=2&a=1,2>; rel="next"` } },
      { body: items, headers: { link: `<${base}/list?page=1>; rel="prev"` } },
    ]);
    const client = paging({ list: styles.linkHeader!.pagination }, fetch);
    expect(await collect(client.paginate.list!())).toEqual([...items, ...items]);
    expect(sent.map((url) => new URL(url).search)).toEqual(["", "?page=2&a=1%2C2"]);
  });
});

describe("what ends a walk with an error", () => {
  const cursor = styles.cursor!.pagination;
  it("a cursor given twice: PaginationError, an ApiClientError, instead of paging forever", async () => {
    const { fetch, sent } = answering([
      { body: { data: items, has_more: true, last_id: "x" } },
      { body: { data: items, has_more: true, last_id: "y" } },
      { body: { data: items, has_more: true, last_id: "x" } },
    ]);
    const client = paging({ list: cursor }, fetch);
    const seen: unknown[] = [];
    const walking = (async () => {
      for await (const item of client.paginate.list!()) seen.push(item);
    })();
    await expect(walking).rejects.toThrow(PaginationError);
    await expect(walking).rejects.toThrow(/page 3: the API gave the cursor "x" again/);
    expect(sent).toHaveLength(3);
    expect(seen).toHaveLength(6);
  });

  it("a cursor the call began with, given back: the same", async () => {
    const { fetch } = answering([{ body: { data: items, has_more: true, last_id: "start" } }]);
    const client = paging({ list: cursor }, fetch);
    await expect(collect(client.paginate.list!({ params: { query: { after: "start" } } }))).rejects.toThrow(
      PaginationError,
    );
  });

  it("a next link given twice (in the Link header): the same", async () => {
    const link = { link: `<${base}/list?page=2>; rel="next"` };
    const { fetch } = answering([
      { body: items, headers: link },
      { body: items, headers: link },
    ]);
    const client = paging({ list: styles.linkHeader!.pagination }, fetch);
    await expect(collect(client.paginate.list!())).rejects.toThrow(/page 2: the API gave the next link .*page=2 again/);
  });

  it("an error answer: items throw PaginationError carrying the page; .pages() yields it and ends", async () => {
    const bodies = [{ body: { data: items, has_more: true, last_id: "x" } }, { body: { message: "no" }, status: 500 }];
    const client = paging({ list: cursor }, answering(bodies).fetch);
    const failure = await collect(client.paginate.list!()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PaginationError);
    expect((failure as PaginationError).cause).toMatchObject({ status: 500, error: { message: "no" } });
    const again = paging({ list: cursor }, answering(bodies).fetch);
    expect((await collect(again.paginate.list!().pages())).map(({ status }) => status)).toEqual([200, 500]);
  });

  it("the call's signal aborts the walk with ApiUserAbortError", async () => {
    const controller = new AbortController();
    const { fetch, sent } = answering([
      { body: { data: items, has_more: true, last_id: "x" } },
      { body: { data: items, has_more: true, last_id: "y" } },
    ]);
    const client = paging({ list: cursor }, fetch);
    const walking = (async () => {
      for await (const _ of client.paginate.list!({ signal: controller.signal })) controller.abort("enough");
    })();
    await expect(walking).rejects.toBeInstanceOf(ApiUserAbortError);
    expect(sent).toHaveLength(1);
  });
});
