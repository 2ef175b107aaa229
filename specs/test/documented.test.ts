import { describe, expect, it } from "vitest";
import { jsonPointer, listApis, loadSpec, operationsOf, resolveRef } from "@contracts/registry";
import { specValidator } from "@contracts/testkit";
import { documented } from "./pages.ts";

const apis = await listApis();

it("writes down page facts only for APIs of the registry", () => {
  const ids = apis.map((api) => api.id);
  expect(Object.keys(documented).filter((id) => !ids.includes(id))).toEqual([]);
});

describe.each(apis.filter((api) => api.id in documented))("$id matches its vendor page", async (api) => {
  const page = documented[api.id]!;
  const document = await loadSpec(api);
  const operation = operationsOf(document).find((candidate) => candidate.id === page.operationId);
  const validate = specValidator(document);
  const requestSchema = `${operation?.pointer}${jsonPointer("requestBody", "content", "application/json", "schema")}`;

  it(`has ${page.method.toUpperCase()} ${page.path} as ${page.operationId}`, () => {
    expect(operation).toMatchObject({ method: page.method, path: page.path });
  });

  it(`is served from ${page.server}`, () => {
    expect(document.servers?.[0]?.url).toBe(page.server);
  });

  it("requires the documented security scheme", () => {
    const requirements = operation?.object.security ?? document.security ?? [];
    const schemes = requirements.flatMap((requirement) => Object.keys(requirement));
    expect(schemes).toHaveLength(1);
    const scheme = resolveRef(document, document.components?.securitySchemes?.[schemes[0]!]);
    expect(scheme).toMatchObject(page.security);
  });

  it("requires the documented path parameters", () => {
    const parameters = (operation?.object.parameters ?? []).map((parameter) => resolveRef(document, parameter));
    expect(parameters.filter((parameter) => parameter.in === "path" && parameter.required).map((parameter) => parameter.name))
      .toEqual(page.pathParameters);
  });

  it("answers every response code the page documents, each with a schema and a named example", () => {
    const responses = operation?.object.responses ?? {};
    for (const status of page.responses) {
      const content = resolveRef(document, responses[status])?.content?.["application/json"];
      expect(content?.schema, `response ${status}`).toBeDefined();
      expect(Object.keys(content?.examples ?? {}), `examples of response ${status}`).not.toHaveLength(0);
    }
  });

  it.each(Object.entries(page.accepts))("accepts a body with %s", (_rule, body) => {
    expect(validate(requestSchema, body)).toEqual([]);
  });

  it.each(Object.entries(page.rejects))("rejects a body with %s", (_rule, body) => {
    expect(validate(requestSchema, body)).not.toEqual([]);
  });
});
