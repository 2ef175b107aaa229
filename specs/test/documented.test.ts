import {
  loadSpec,
  operationsOf,
  repoRelative,
  requestSchemaPointer,
  resolveRef,
  securitySchemesOf,
  specValidator,
} from "@contracts/spec";
import { describe, expect, it } from "vitest";
import { documented } from "./pages.ts";
import { houseApis, itSkipsVendorSpecs } from "./registry.ts";

// The specs written here from vendor pages are held to those pages; a vendor's own spec is the page.
it("writes down page facts only for house APIs of the registry (a vendor's spec is its own page)", () => {
  const ids = houseApis.map((api) => api.id);
  expect(Object.keys(documented).filter((id) => !ids.includes(id))).toEqual([]);
});

itSkipsVendorSpecs("matches its vendor page");

describe.each(houseApis.filter((api) => api.id in documented))("$id matches its vendor page", async (api) => {
  const page = documented[api.id]!;
  const document = await loadSpec(api);
  const operation = operationsOf(document).find((candidate) => candidate.id === page.operationId);
  const validate = specValidator(document);
  const requestSchema = operation && requestSchemaPointer(operation);
  const spec = repoRelative(api.specPath, api.root);

  it(`has ${page.method.toUpperCase()} ${page.path} as ${page.operationId}`, () => {
    const found = operation ? `${operation.method.toUpperCase()} ${operation.path}` : "no operation of that id";
    expect(
      operation,
      `the page documents ${page.operationId} as ${page.method.toUpperCase()} ${page.path}; ${spec} has ${found}`,
    ).toMatchObject({
      method: page.method,
      path: page.path,
    });
  });

  it(`is served from ${page.server}`, () => {
    const url = document.servers?.[0]?.url;
    expect(url, `the page's server is ${page.server}; the first server of ${spec} is ${url ?? "missing"}`).toBe(
      page.server,
    );
  });

  it("requires the documented security scheme", () => {
    const schemes = operation ? securitySchemesOf(document, operation) : [];
    expect(
      schemes,
      `the page documents one security scheme; ${spec} requires ${schemes.map(({ name }) => name).join(", ") || "none"}`,
    ).toHaveLength(1);
    const { scheme } = schemes[0]!;
    expect(
      scheme,
      `the page documents ${JSON.stringify(page.security)}; ${spec} says ${JSON.stringify(scheme)}`,
    ).toMatchObject(page.security);
  });

  it("requires the documented path parameters", () => {
    const parameters = (operation?.object.parameters ?? []).map((parameter) => resolveRef(document, parameter));
    const required = parameters
      .filter((parameter) => parameter.in === "path" && parameter.required)
      .map((parameter) => parameter.name);
    expect(
      required,
      `the page documents path parameters [${page.pathParameters.join(", ")}]; ${spec} requires [${required.join(", ")}]`,
    ).toEqual(page.pathParameters);
  });

  it("answers every response code the page documents, each with a schema and a named example", () => {
    const responses = operation?.object.responses ?? {};
    for (const status of page.responses) {
      const content = resolveRef(document, responses[status])?.content?.["application/json"];
      expect(content?.schema, `the page documents response ${status}; ${spec} gives it no JSON schema`).toBeDefined();
      expect(
        Object.keys(content?.examples ?? {}),
        `the page documents response ${status}; ${spec} gives it no named example`,
      ).not.toHaveLength(0);
    }
  });

  it.each(Object.entries(page.accepts))("accepts a body with %s", (rule, body) => {
    const violations = validate(requestSchema!, body);
    expect(
      violations,
      `the page accepts a body with ${rule} (${JSON.stringify(body)}); the request schema of ${spec} rejects it`,
    ).toEqual([]);
  });

  it.each(Object.entries(page.rejects))("rejects a body with %s", (rule, body) => {
    const violations = validate(requestSchema!, body);
    expect(
      violations,
      `the page rejects a body with ${rule} (${JSON.stringify(body)}); the request schema of ${spec} accepts it`,
    ).not.toEqual([]);
  });
});
