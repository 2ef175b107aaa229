import { prismOperations } from "@contracts/prism";
import type { Api } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, describe, expect, it } from "vitest";
import { validatingExchange } from "../src/exchange.ts";
import { startUpstream } from "./upstream.ts";

// OpenAI's `/responses?beta=true` beside `/responses`: two operations on one path told apart by a
// query. Verify judged every such request by the plain operation, which takes any `X-Beta`.
const thing = (name: string, parameters: object[] = []) => ({
  get: {
    operationId: name,
    parameters,
    responses: {
      "200": { description: "ok", content: { "application/json": { schema: { type: "object" }, example: { name } } } },
    },
  },
});
const document = {
  openapi: "3.1.0",
  info: { title: "Things", version: "1.0.0" },
  paths: {
    "/things": thing("plain"),
    "/things?beta=true": thing("beta", [{ name: "X-Beta", in: "header", required: true, schema: { enum: ["v1"] } }]),
  },
} as unknown as OpenAPI3;
const api: Api = { id: "things", specPath: "/nowhere/things.yaml", root: "/nowhere" };

describe("verify's routing", () => {
  const upstream = startUpstream(document, (operation, _request, response) => {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: operation?.id }));
  });
  afterAll(async () => (await upstream).close());

  it("judges a request carrying the query a path is keyed by against that path's operation, else the plain one", async () => {
    const exchange = validatingExchange(api, document, await prismOperations(api, document), (await upstream).url);
    const send = (target: string) =>
      exchange({ method: "GET", target, headers: { "x-beta": "v2" }, body: Buffer.alloc(0) });
    const beta = await send("/things?beta=true");
    expect(JSON.parse(beta.response.body.toString())).toEqual({ name: "beta" });
    expect(beta.requestViolations).toContainEqual(expect.objectContaining({ pointer: "/header/x-beta" }));
    expect((await send("/things")).requestViolations).toEqual([]);
  });
});
