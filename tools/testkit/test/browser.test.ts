import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { browserCallOf } from "../src/browser.ts";

const answer = (id: string) => ({
  description: "ok",
  content: { "application/json": { schema: { type: "object" }, example: { id } } },
});

/** Box's files: one path keyed twice, apart by a `#fragment` no request carries, and a folder. */
const files = {
  openapi: "3.0.3",
  info: { title: "Files", version: "1.0.0" },
  paths: {
    "/files/{file_id}": { get: { operationId: "getFile", responses: { "200": answer("file") } } },
    "/files/{file_id}#get_shared_link": { get: { operationId: "getSharedLink", responses: { "200": answer("link") } } },
    "/folders/{folder_id}": { get: { operationId: "getFolder", responses: { "200": answer("folder") } } },
  },
} as unknown as OpenAPI3;

describe("the browser test's call", () => {
  it("is of an operation the handlers answer, never one keyed apart from it by a #fragment", () => {
    const chosen = browserCallOf(files);
    expect(typeof chosen === "string" ? chosen : chosen.operation.object.operationId).toBe("getFile");
  });

  it("is none, saying why, where every operation with an example is keyed apart from the one answered", () => {
    const paths = {
      "/files/{file_id}": { get: { operationId: "getFile", responses: { "204": { description: "no body" } } } },
      "/files/{file_id}#get_shared_link": (files.paths as Record<string, unknown>)["/files/{file_id}#get_shared_link"],
    };
    expect(browserCallOf({ ...files, paths } as OpenAPI3)).toBe(
      "documents no 2xx example of an operation a request reaches, so no answer to compare the handlers' with",
    );
  });
});
