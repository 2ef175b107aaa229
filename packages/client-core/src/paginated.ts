// `client.paginate`: imported only by the generated clients of APIs whose lists page, so other clients
// bundle none of it. The walker itself (paginate.ts) is a chunk of its own, loaded when a walk starts.
import { PaginationError } from "./errors.ts";
import type { Pagination } from "./pagination.ts";

type Method = (init: object) => Promise<{ status: number; response: Response }>;

/**
 * `client` with `paginate`: for each operation of `paginations` (by method name), a function taking
 * that method's arguments whose result iterates every item of every page, and whose `.pages()`
 * iterates each page's result; each page is one call of the method. Nothing is sent until iteration.
 */
export function withPagination<ApiClient extends object>(
  client: ApiClient,
  paginations: Record<string, Pagination>,
): ApiClient {
  const methods = client as unknown as Record<string, Method>;
  const paginate = Object.fromEntries(
    Object.entries(paginations).map(([name, pagination]) => {
      const stop = (page: number, reason: string, cause?: unknown) => new PaginationError(name, page, reason, cause);
      const walk = (init: Record<string, unknown> = {}) => {
        async function* view(of: "pages" | "items") {
          const walker = await import("./paginate.ts");
          yield* walker[of](pagination, methods[name]!, init, stop);
        }
        return { pages: () => view("pages"), [Symbol.asyncIterator]: () => view("items") };
      };
      return [name, walk];
    }),
  );
  return Object.assign(client, { paginate });
}
