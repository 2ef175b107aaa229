import { operationsOf, specValidator } from "@contracts/spec";
import { describe, expect, it } from "vitest";
import { type ContractCase, contractCases, responseProblems } from "../src/cases.ts";
import { widgetApi, widgetSpec } from "./spec.ts";

const document = widgetSpec();
const cases = contractCases(widgetApi, document, { apiKey: "k", randomBodies: 50, seed: 7 });
const named = (name: string) => cases.find((kase) => kase.name === name)!;
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body,
  headers: new Headers(headers),
});

describe("contract cases", () => {
  it("sends every case to the example path, encoded, with the key as the scheme says", () => {
    expect(named("body null as the whole body").request).toEqual({
      method: "PATCH",
      path: "/widgets/w%201",
      headers: { "content-type": "application/json", Authorization: "Bearer k" },
      body: null,
    });
  });

  it("varies a JSON body only", () => {
    const multipart = widgetSpec();
    const operation = operationsOf(multipart).find(({ id }) => id === "updateWidget");
    const requestBody = operation!.object.requestBody as { content: object };
    requestBody.content = { "multipart/form-data": Object.values(requestBody.content)[0] };
    const groups = contractCases(widgetApi, multipart, { apiKey: "k", randomBodies: 5 }).map((kase) => kase.group);
    expect(groups).toContain("credentials");
    expect(groups).not.toContain("request body");
  });

  it("rejects the four wrong root bodies", () => {
    expect(["null", "0", "false", "[]"].map((body) => named(`body ${body} as the whole body`).verdict)).toEqual(
      Array(4).fill("rejected"),
    );
  });

  it("asks for 401 without credentials, and for a bearer key after another scheme word or none", () => {
    const credentials = cases.filter((kase) => kase.group === "credentials" && kase.operationId === "updateWidget");
    expect(credentials.map((kase) => [kase.name, kase.request.headers.Authorization, kase.verdict])).toEqual([
      ["no credentials", undefined, "unauthenticated"],
      ["the key with another scheme word (Basic)", "Basic k", "unauthenticated"],
      ["the key without its scheme word", "k", "unauthenticated"],
    ]);
  });

  it("asks only for a missing API key, which is all a mock can refuse", () => {
    const apiKeyCases = contractCases(widgetApi, widgetSpec({ type: "apiKey", in: "header", name: "x-api-key" }), {
      randomBodies: 0,
    });
    expect(
      apiKeyCases
        .filter((kase) => kase.group === "credentials" && kase.operationId === "updateWidget")
        .map((kase) => kase.name),
    ).toEqual(["no credentials"]);
  });

  it("asks for 405 naming the documented methods for every undocumented one, once per path", () => {
    const methods = cases.filter((kase) => kase.group === "methods");
    expect(methods.map((kase) => kase.request.method)).toEqual(["PUT", "POST", "DELETE"]);
    expect(methods.every((kase) => kase.verdict === "method not allowed" && kase.allow?.join() === "GET,PATCH")).toBe(
      true,
    );
  });

  it("draws random bodies the schema accepts, the same ones for the same seed", () => {
    const random = cases.filter((kase) => kase.group === "random valid bodies");
    expect(random.length).toBeGreaterThan(10);
    const validate = specValidator(document);
    for (const kase of random) expect(validate("/components/schemas/WidgetUpdate", kase.request.body)).toEqual([]);
    const again = contractCases(widgetApi, document, { apiKey: "k", randomBodies: 50, seed: 7 }).filter(
      (kase) => kase.group === "random valid bodies",
    );
    expect(again).toEqual(random);
    const otherSeed = contractCases(widgetApi, document, { apiKey: "k", randomBodies: 50, seed: 8 }).filter(
      (kase) => kase.group === "random valid bodies",
    );
    expect(otherSeed).not.toEqual(random);
  });
});

describe("responseProblems", () => {
  const accepted: ContractCase = named("name maxLength 3: 3 characters");
  const rejected: ContractCase = named("name maxLength 3: 4 characters");
  const method = cases.find((kase) => kase.group === "methods")!;

  it("passes a documented status with a body valid for it", () => {
    expect(responseProblems(document, accepted, response(200, { name: "aaa" }))).toEqual([]);
    expect(responseProblems(document, rejected, response(400, { message: "too long" }))).toEqual([]);
    expect(responseProblems(document, method, response(405, {}, { allow: "PATCH, GET" }))).toEqual([]);
  });

  it("names a status other than the verdict's", () => {
    expect(responseProblems(document, rejected, response(200, { name: "aaaa" }))).toEqual([
      'expected 400 or 422 (rejected), got 200: {"name":"aaaa"}',
    ]);
  });

  it("names an undocumented status and a body that breaks its status's schema", () => {
    expect(responseProblems(document, rejected, response(422, { message: "x" }))).toEqual([
      "status 422 is not documented for updateWidget",
    ]);
    expect(responseProblems(document, rejected, response(400, { error: "x" }))).toEqual([
      `the 400 body breaks its schema (/ must have required property 'message'): {"error":"x"}`,
    ]);
  });

  it("names a missing or wrong Allow header", () => {
    expect(responseProblems(document, method, response(405, {}))).toEqual([
      "expected Allow: GET, PATCH, got no Allow header",
    ]);
    expect(responseProblems(document, method, response(405, {}, { allow: "PATCH" }))).toEqual([
      "expected Allow: GET, PATCH, got PATCH",
    ]);
  });
});
