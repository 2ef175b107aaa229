// How an operation's list answers lead to the next page, and reading a JSON pointer in a body: shared
// by the client's page walker (paginate.ts, a lazy chunk) and the mocks' page rule (mock.ts). No
// Node API: it runs in browsers too.

/**
 * How one operation pages, each place in the 2xx JSON body a JSON pointer (`""`: the body itself).
 * `cursor`: the next page is the same call with `cursorParam` (a query parameter) set to the value at
 * `nextCursor`, while `hasMore` (if given) is true. `next-link`: the next page is the URL at `next`.
 * `link-header`: the next page is the answer's `Link: <...>; rel="next"`. Every style ends on an
 * empty page as well.
 */
export type Pagination =
  | {
      style: "cursor";
      cursorParam: string;
      nextCursor: string;
      hasMore?: string;
      items: string;
      /** A cursor of the form its schema asks for (a uuid), which the mocks write each page's cursor in. */
      cursorSample?: string;
    }
  | { style: "next-link"; next: string; items: string }
  | { style: "link-header"; items: string };

/** A JSON pointer's segments (RFC 6901), unescaped. */
export const pointerSegments = (pointer: string): string[] =>
  pointer === ""
    ? []
    : pointer
        .slice(1)
        .split("/")
        .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));

/** The value at a JSON pointer in a parsed JSON body; undefined where there is none. */
export function valueAt(value: unknown, pointer: string): unknown {
  let node = value;
  for (const segment of pointerSegments(pointer)) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
