import { expect, it } from "vitest";
import { scratchMocks } from "./specs.ts";

// Twilio documents `Access-Control-Allow-Credentials` as `type: boolean` without an example:
// Prism's mocker keeps a header value it generates only when it is a string or number, so the
// mock sent the text `null`, which the spec refuses (verify failed every call on it).
const mocks = scratchMocks("things", {
  "things.yaml": `openapi: 3.1.0
info:
  title: Things
  version: 1.0.0
servers:
  - url: https://things.example.com
security: []
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: The things
          headers:
            X-Credentials:
              schema:
                type: boolean
            X-Ids:
              schema:
                type: array
                minItems: 2
                items:
                  type: integer
                  minimum: 1
            X-Pair:
              schema:
                type: object
                required: [a]
                additionalProperties: false
                properties:
                  a:
                    type: integer
                    minimum: 1
            X-Name:
              schema:
                type: string
              example: things
          content:
            application/json:
              example: []
`,
});

it("writes a boolean, array or object header made up from its schema in the simple style, never null", async () => {
  const response = await fetch(`${mocks().mocks[0]!.url}/things`);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("x-credentials")).toMatch(/^(true|false)$/);
  expect(response.headers.get("x-ids")).toMatch(/^[1-9]\d*(,[1-9]\d*)+$/);
  expect(response.headers.get("x-pair")).toMatch(/^a,[1-9]\d*$/);
  expect(response.headers.get("x-name")).toBe("things");
});
