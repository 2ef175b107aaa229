import type { Client } from "openapi-fetch";
import type { ApiDescription, AuthScheme, OperationMethod } from "../src/index.ts";

/** A small API, as openapi-typescript would emit it, for the runtime tests. */
export interface TestPaths {
  "/things/{id}": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: Record<string, unknown>; content: { "application/json": { name: string } } };
      };
    };
    put: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: { content: { "application/json": { name: string } } };
      responses: {
        200: { headers: Record<string, unknown>; content: { "application/json": { name: string } } };
      };
    };
    patch: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: { content: { "application/json": { name: string } } };
      responses: {
        200: { headers: Record<string, unknown>; content: { "application/json": { name: string } } };
        400: { headers: Record<string, unknown>; content: { "application/json": { message: string } } };
        404: { headers: Record<string, unknown>; content: { "application/json": { missing: string } } };
      };
    };
  };
  "/things": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": { name: string } } };
      responses: {
        201: { headers: Record<string, unknown>; content: { "application/json": { name: string } } };
      };
    };
  };
}

/** What a generated client of TestPaths looks like. */
export interface ThingsClient extends Client<TestPaths> {
  getThing: OperationMethod<TestPaths, "/things/{id}", "get">;
  putThing: OperationMethod<TestPaths, "/things/{id}", "put">;
  updateThing: OperationMethod<TestPaths, "/things/{id}", "patch">;
  createThing: OperationMethod<TestPaths, "/things", "post">;
}

/** The API's description as codegen would write it: a bearer key; GET and PUT retried by default (HTTP calls them idempotent). */
export const things: ApiDescription = {
  title: "Things API",
  defaultBaseUrl: "https://things.test/v1",
  security: {
    schemes: { apiKey: { in: "header", name: "Authorization", prefix: "Bearer ", env: "THINGS_API_KEY" } },
    required: [["apiKey"]],
    apiKeyOption: true,
  },
  operations: {
    getThing: ["get", "/things/{id}", true],
    putThing: ["put", "/things/{id}", true],
    updateThing: ["patch", "/things/{id}", false],
    createThing: ["post", "/things", false],
  },
  validators: async () => {
    throw new Error("validators loaded although no call asked for validation");
  },
};

/** Things with its key sent as `scheme` says. */
export const thingsWithKeyIn = (scheme: AuthScheme): ApiDescription => ({
  ...things,
  security: { ...things.security!, schemes: { apiKey: { ...scheme, env: "THINGS_API_KEY" } } },
});

export const thingId = { params: { path: { id: "1" } } };
export const renamed = { ...thingId, body: { name: "renamed" } };

/** A fetch that records what it was sent and answers each request with `answer()` (200 `{ name: "ok" }` by default). */
export function recordingFetch(answer: (request: Request) => Response = () => jsonResponse(200, { name: "ok" })) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return answer(request);
  };
  return { fetch, requests };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}
