// The page walker of `client.paginate.<method>()`: a module client.ts loads only when a walk
// starts, so apps that never page never load it. Like refresh.ts it imports nothing of client-core
// at run time but what it alone uses (client.ts passes the error): a bundler would otherwise put
// the shared code in a chunk every app loads up front.
import { parseLinkHeader } from "@web3-storage/parse-link-header";
import { type Pagination, valueAt } from "./pagination.ts";

/** One page: the call's result, as every operation method resolves. */
export interface Page {
  data?: unknown;
  error?: unknown;
  status: number;
  response: Response;
}

/** A call's options as the walker changes them: only `params.query` between pages. */
interface Init {
  params?: { query?: Record<string, unknown>; [location: string]: unknown };
  [option: string]: unknown;
}

/** The error that ends a walk (client-core's `PaginationError`, for the page number and a reason). */
export type Stop = (page: number, reason: string, cause?: unknown) => Error;

const withQuery = (init: Init, query: Record<string, unknown>): Init => ({
  ...init,
  params: { ...init.params, query },
});

/** A URL's query as the call's `params.query`: a name given more than once as a list, as OpenAPI's default style writes it. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  url.searchParams.forEach((value, name) => {
    const held = query[name];
    query[name] = held === undefined ? value : [held, value].flat();
  });
  return query;
}

/** The URL of the `Link` header's `rel="next"`, if any (however long the header; a part that is no link is skipped). */
const nextInLinkHeader = (response: Response) =>
  parseLinkHeader(response.headers.get("link"), { maxHeaderLength: Number.POSITIVE_INFINITY })?.next?.url;

/**
 * Where the page after `page` is, as a cursor or link (what must never come twice) and the call
 * that fetches it; undefined at the end: an error answer, an empty page, `hasMore` false, no
 * cursor or no next link. A link's query parameters go to the same operation (its path parameters
 * kept), so a walk only ever calls the operation it began with, under the client's `baseUrl`.
 */
function following(pagination: Pagination, page: Page, init: Init): { key: string; init: Init } | undefined {
  const items = valueAt(page.data, pagination.items);
  if (!page.response.ok || !Array.isArray(items) || items.length === 0) return undefined;
  if (pagination.style === "cursor") {
    if (pagination.hasMore !== undefined && valueAt(page.data, pagination.hasMore) === false) return undefined;
    const cursor = valueAt(page.data, pagination.nextCursor);
    if (cursor === undefined || cursor === null || cursor === "") return undefined;
    return {
      key: JSON.stringify(cursor),
      init: withQuery(init, { ...init.params?.query, [pagination.cursorParam]: cursor }),
    };
  }
  const link = pagination.style === "next-link" ? valueAt(page.data, pagination.next) : nextInLinkHeader(page.response);
  if (typeof link !== "string" || link === "") return undefined;
  // A relative link (`/v1/items?page=2`, Twilio's `next_page_uri`) counts by its query alone.
  const url = new URL(link, page.response.url || "http://relative.invalid");
  return { key: url.href, init: withQuery(init, queryOf(url)) };
}

/** Each page's result, from the call `init` describes until the last; a cursor or link given twice throws `stop`'s error. */
export async function* pages(pagination: Pagination, send: (init: Init) => Promise<Page>, init: Init, stop: Stop) {
  const seen = new Set<string>();
  const first = pagination.style === "cursor" ? init.params?.query?.[pagination.cursorParam] : undefined;
  if (first !== undefined) seen.add(JSON.stringify(first));
  let call: Init | undefined = init;
  for (let number = 1; call !== undefined; number += 1) {
    const page = await send(call);
    yield page;
    const next = following(pagination, page, call);
    if (next && seen.has(next.key))
      throw stop(
        number,
        `the API gave the ${pagination.style === "cursor" ? "cursor" : "next link"} ${next.key} again`,
      );
    if (next) seen.add(next.key);
    call = next?.init;
  }
}

/** Each item of each page, in order; an error answer throws `stop`'s error (its cause: the page). */
export async function* items(pagination: Pagination, send: (init: Init) => Promise<Page>, init: Init, stop: Stop) {
  let number = 0;
  for await (const page of pages(pagination, send, init, stop)) {
    number += 1;
    if (!page.response.ok) throw stop(number, `page ${number} was answered ${page.status}`, page);
    const found = valueAt(page.data, pagination.items);
    if (Array.isArray(found)) yield* found;
  }
}
