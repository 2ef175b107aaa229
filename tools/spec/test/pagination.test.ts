// Which operations page and how: a spec's `x-pagination` (on the operation, or the document's for
// each list), else what its list answer makes unambiguous, else nothing.

import { pagesRoot } from "@contracts/fixtures";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { listApis, operationsOf, paginationOf } from "../src/index.ts";

/** A document of one GET /list whose 200 body has these properties and which takes these query parameters. */
function listing(
  properties: Record<string, object>,
  query: string[] = [],
  extra: object = {},
  method = "get",
  response: object = { content: { "application/json": { schema: { type: "object", properties } } } },
): OpenAPI3 {
  return {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: {
      "/list": {
        [method]: {
          operationId: "list",
          parameters: query.map((name) => ({ name, in: "query", schema: { type: "string" } })),
          responses: {
            200: { description: "a page", ...response },
          },
          ...extra,
        },
      },
    },
  } as OpenAPI3;
}

const of = (document: OpenAPI3, api?: { id: string; pagination?: unknown }) =>
  paginationOf(document, operationsOf(document)[0]!, api);
const list = { type: "array", items: { type: "string" } };

describe("found where the spec makes it unambiguous", () => {
  it("OpenAI's lists: a cursor (last_id), taken back as `after`, with has_more", () => {
    const document = listing({ data: list, has_more: { type: "boolean" }, last_id: { type: "string" } }, ["after"]);
    expect(of(document)).toEqual({
      style: "cursor",
      cursorParam: "after",
      nextCursor: "/last_id",
      hasMore: "/has_more",
      items: "/data",
    });
  });

  it("a cursor whose schema asks for a form (DigitalOcean's uuid last_id): with a sample of that form", () => {
    const document = listing({ data: list, last_id: { type: "string", format: "uuid" } }, ["after"]);
    expect(of(document)).toMatchObject({
      style: "cursor",
      nextCursor: "/last_id",
      cursorSample: expect.stringMatching(/^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/),
    });
  });

  it("a next_cursor taken back as `cursor`", () => {
    expect(of(listing({ items: list, next_cursor: { type: "string" } }, ["cursor"]))).toMatchObject({
      style: "cursor",
      cursorParam: "cursor",
      nextCursor: "/next_cursor",
      items: "/items",
    });
  });

  it("a next link", () => {
    expect(of(listing({ results: list, next: { type: "string" } }))).toEqual({
      style: "next-link",
      next: "/next",
      items: "/results",
    });
  });

  it("a bare list whose answer documents a Link header", () => {
    const response = {
      headers: { Link: { schema: { type: "string" } } },
      content: { "application/json": { schema: list } },
    };
    const document = listing({}, [], {}, "get", response);
    expect(of(document)).toEqual({ style: "link-header", items: "" });
  });

  it.each([
    ["a cursor the operation does not take back", listing({ data: list, next_cursor: { type: "string" } })],
    ["two lists", listing({ data: list, more: list, next: { type: "string" } })],
    ["a cursor and a next link", listing({ data: list, next_cursor: {}, next: {} }, ["cursor"])],
    ["no cursor or link", listing({ data: list, total: { type: "integer" } })],
    ["a POST", listing({ data: list, next: {} }, [], {}, "post")],
  ])("none for %s", (_, document) => {
    expect(of(document as OpenAPI3)).toBeUndefined();
  });
});

describe("declared by x-pagination", () => {
  it("on the operation, whatever the answer looks like; false: none", () => {
    const declared = { style: "next-link", next: "/links/pages/next", items: "/droplets" };
    expect(of(listing({}, [], { "x-pagination": declared }))).toEqual(declared);
    expect(of(listing({ data: list, next: { type: "string" } }, [], { "x-pagination": false }))).toBeUndefined();
  });

  it("at the document root: for each GET with a list at its items and its cursor parameter", () => {
    const shared = { style: "cursor", cursorParam: "before", nextCursor: "/0/id", items: "/messages" };
    const paging = { ...listing({ messages: list }, ["before"]), "x-pagination": shared } as OpenAPI3;
    expect(of(paging)).toEqual(shared);
    const noParam = { ...listing({ messages: list }), "x-pagination": shared } as OpenAPI3;
    expect(of(noParam)).toBeUndefined();
    const noList = { ...listing({ other: list }, ["before"]), "x-pagination": shared } as OpenAPI3;
    expect(of(noList)).toBeUndefined();
    // A list it does not fit is left to what the spec makes plain.
    const openai = listing({ data: list, has_more: { type: "boolean" }, last_id: { type: "string" } }, ["after"]);
    expect(of({ ...openai, "x-pagination": shared } as OpenAPI3)).toMatchObject({
      style: "cursor",
      cursorParam: "after",
    });
  });

  it("in the registry entry, for a spec kept as published: as the document's, which the document's own overrides", async () => {
    const entry = { style: "next-link", next: "/links/next", items: "/items" };
    const document = listing({ items: list, links: { type: "object" } });
    expect(of(document, { id: "vendor", pagination: entry })).toEqual(entry);
    const own = { style: "link-header", items: "/items" };
    expect(of({ ...document, "x-pagination": own } as OpenAPI3, { id: "vendor", pagination: entry })).toEqual(own);
    expect(() => of(document, { id: "vendor", pagination: { style: "pages" } })).toThrow(
      /^redocly\.yaml apis\.vendor: x-pagination style is cursor/,
    );
    const [listings] = await listApis(pagesRoot);
    expect(listings!.pagination).toEqual({ style: "next-link", next: "/links/pages/next", items: "/events" });
  });

  it.each([
    [{ style: "offset" }, /style is cursor, next-link or link-header, not "offset"/],
    [{ style: "cursor", nextCursor: "/c", items: "/data" }, /cursorParam names the query parameter/],
    [{ style: "next-link", next: "links.next", items: "/data" }, /next is a JSON pointer/],
    [{ style: "link-header", items: "data" }, /items is a JSON pointer/],
  ])("a malformed declaration is refused at its place: %j", (declared, message) => {
    expect(() => of(listing({}, [], { "x-pagination": declared }))).toThrow(message);
    expect(() => of(listing({}, [], { "x-pagination": declared }))).toThrow(/^#\/paths\/~1list\/get: x-pagination/);
  });
});
