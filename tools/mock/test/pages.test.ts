import { expect, it } from "vitest";
import { scratchMocks } from "./specs.ts";

// DigitalOcean's batches: a cursor whose schema is `format: uuid`, in the body and the query. The
// mock's pages had written the page number as the cursor, which broke the body's schema and was
// refused when sent back.
const mocks = scratchMocks("batches", {
  "batches.yaml": `openapi: 3.1.0
info:
  title: Batches
  version: 1.0.0
servers:
  - url: https://batches.example.com
security: []
paths:
  /batches:
    get:
      operationId: listBatches
      parameters:
        - name: after
          in: query
          schema:
            type: string
            format: uuid
      responses:
        "200":
          description: A page of batches
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more, last_id]
                properties:
                  data:
                    type: array
                    items:
                      type: string
                  has_more:
                    type: boolean
                  last_id:
                    type: string
                    format: uuid
`,
});

it("walks a cursor of format uuid to the last page, each page's cursor a uuid", async () => {
  const uuid = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/;
  const pages: { has_more: boolean; last_id: string }[] = [];
  let query = "";
  do {
    const response = await fetch(`${mocks().mocks[0]!.url}/batches${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    pages.push(await response.json());
    query = `?after=${pages.at(-1)!.last_id}`;
  } while (pages.at(-1)!.has_more && pages.length < 5);
  expect(pages.map(({ has_more }) => has_more)).toEqual([true, true, false]);
  for (const { last_id } of pages) expect(last_id).toMatch(uuid);
});
