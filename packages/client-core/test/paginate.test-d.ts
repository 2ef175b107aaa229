// What `client.paginate.<method>()` gives, by the types: compiled by `npm run typecheck`, never run.
import type { PaginateMethod } from "../src/index.ts";

interface paths {
  "/items": {
    get: {
      parameters: { query?: { after?: string; limit?: number } };
      responses: {
        200: { content: { "application/json": { data: { id: string }[]; has_more: boolean } } };
        400: { content: { "application/json": { message: string } } };
      };
    };
  };
}
type Item = { id: string };
declare const listItems: PaginateMethod<paths, "/items", "get", Item>;

export async function walk(signal: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of listItems({ params: { query: { limit: 10 } }, signal, timeout: 5_000 })) ids.push(item.id);
  for await (const page of listItems().pages()) {
    if (page.status === 200) ids.push(...page.data.data.map(({ id }) => id));
    else if (page.status === 400) ids.push(page.error.message);
  }
  // @ts-expect-error an item is the list's item type, not anything
  for await (const item of listItems()) ids.push(item.name);
  // @ts-expect-error the call's query is typed by the spec
  listItems({ params: { query: { limit: "ten" } } });
  // @ts-expect-error a walk is iterated, not awaited for a result
  (await listItems()).data;
  return ids;
}
