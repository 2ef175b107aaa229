import { describe, expect, it } from "vitest";
import { credentialEnvOf, methodNameOf } from "../src/index.ts";

describe("methodNameOf", () => {
  it.each([
    ["an identifier, as it is", "updateOrganization", "updateOrganization"],
    ["a reserved word, valid as a method name", "delete", "delete"],
    ["hyphens", "get-stations", "getStations"],
    ["spaces", "find pet by id", "findPetById"],
    ["dots", "abusiveexperiencereport.sites.get", "abusiveexperiencereportSitesGet"],
    ["a leading digit", "3GppRegistration", "_3GppRegistration"],
    ["symbols", "123_test_@#$%_special_tags", "_123_test_$_special_tags"],
    ["openapi-fetch's own method", "GET", "GETOperation"],
    ["openapi-fetch's middleware hook", "use", "useOperation"],
    ["the name that sets an object's prototype", "__proto__", "__proto__Operation"],
    ["openapi-fetch's request", "request", "requestOperation"],
  ])("takes an operationId with %s", (_case, operationId, name) => {
    expect(methodNameOf({ operationId, method: "get", path: "/" })).toBe(name);
  });

  it.each([
    ["get", "/pets/{id}", "getPetsById"],
    ["get", "/anything/apiKey", "getAnythingApiKey"],
    ["post", "/cookies#formExploded", "postCookiesFormExploded"],
    ["put", "/v1/orgs/{org_id}/properties", "putV1OrgsByOrg_idProperties"],
    ["get", "/", "get"],
  ])("names an operation without one by its method and path: %s %s", (method, path, name) => {
    expect(methodNameOf({ method, path })).toBe(name);
  });
});

describe("credentialEnvOf", () => {
  it.each([
    ["pinecone-data", "ApiKeyAuth", "PINECONE_DATA_API_KEY_AUTH"],
    ["museum", "MuseumPlaceholderAuth", "MUSEUM_MUSEUM_PLACEHOLDER_AUTH"],
    ["security", "apiKey_query", "SECURITY_API_KEY_QUERY"],
    ["petstore", "petstore_auth", "PETSTORE_PETSTORE_AUTH"],
  ])("names %s's %s variable %s", (api, scheme, env) => {
    expect(credentialEnvOf(api, scheme)).toBe(env);
  });
});
