import { describe, expect, it } from "vitest";
import { routerOf } from "../src/routes.ts";

const operations = [
  { method: "get", path: "/pet/{petId}" },
  { method: "delete", path: "/pet/{petId}" },
  { method: "get", path: "/pet/findByStatus" },
  { method: "post", path: "/responses" },
  { method: "post", path: "/responses?beta=true" },
  { method: "get", path: "/orgs/{org}/items.{format}" },
  { method: "get", path: "/a/{x}" },
  { method: "put", path: "/{y}/b" },
  { method: "put", path: "/<upload_url>" },
  { method: "get", path: "/files/{file_id}" },
  { method: "get", path: "/files/{file_id}#get_shared_link" },
  { method: "put", path: "/files/{file_id}#add_shared_link" },
];
const route = routerOf(operations);
const routed = (method: string, url: string) => {
  const { pathname, searchParams } = new URL(url, "http://api.test");
  const { operation, values, allow } = route(method, pathname, searchParams);
  return { path: operation?.path, values, allow };
};

describe("routing a request to its operation", () => {
  it("matches each {name} as one segment, giving its value as written", () => {
    expect(routed("GET", "/orgs/a%20b/items.json")).toEqual({
      path: "/orgs/{org}/items.{format}",
      values: { org: "a%20b", format: "json" },
      allow: ["GET"],
    });
    expect(routed("GET", "/orgs/acme/itemsxjson").allow).toEqual([]);
    expect(routed("GET", "/orgs/a/b/items.json").allow).toEqual([]);
  });

  it("routes a concrete path before a templated one: another method on it finds none, with the path's methods", () => {
    expect(routed("GET", "/pet/findByStatus").path).toBe("/pet/findByStatus");
    expect(routed("DELETE", "/pet/findByStatus")).toEqual({ path: undefined, values: {}, allow: ["GET"] });
    expect(routed("delete", "/pet/1")).toMatchObject({ path: "/pet/{petId}", values: { petId: "1" } });
  });

  it("routes a path keyed by a query to its operation when the request carries that query, else to the plain one", () => {
    expect(routed("POST", "/responses?stream=true&beta=true").path).toBe("/responses?beta=true");
    expect(routed("POST", "/responses?beta=false").path).toBe("/responses");
    expect(routed("POST", "/responses").path).toBe("/responses");
  });

  it("takes equally specific paths together (`/a/{x}` and `/{y}/b` both match `/a/b`): the method picks", () => {
    expect(routed("PUT", "/a/b")).toMatchObject({ path: "/{y}/b", values: { y: "a" } });
    expect(routed("GET", "/a/b")).toMatchObject({ path: "/a/{x}", values: { x: "b" } });
    expect(routed("POST", "/a/b").allow).toEqual(["GET", "PUT"]);
  });

  it("matches a template's literal text a URL percent-encodes, written either way (`/<upload_url>` as `/%3Cupload_url%3E`)", () => {
    expect(routed("PUT", "/<upload_url>").path).toBe("/<upload_url>");
    expect(route("PUT", "/%3cupload_url%3e", new URLSearchParams()).operation?.path).toBe("/<upload_url>");
    expect(routed("GET", "/<upload_url>")).toEqual({ path: undefined, values: {}, allow: ["PUT"] });
    expect(routed("PUT", "/%3Cupload_url%3F").allow).toEqual([]);
  });

  it("routes a path keyed apart by a #fragment, which no request carries, as the path: the first operation listed answers", () => {
    expect(routed("GET", "/files/12")).toMatchObject({ path: "/files/{file_id}", allow: ["GET", "PUT"] });
    expect(routed("PUT", "/files/12")).toMatchObject({
      path: "/files/{file_id}#add_shared_link",
      values: { file_id: "12" },
    });
  });
});
