import { nonAsciiKey, nonAsciiText, operationsOf, specValidator, unknownKey } from "@contracts/spec";
import { describe, expect, it } from "vitest";
import { constraintCases } from "../src/constraints.ts";
import { widgetSpec } from "./spec.ts";

const document = widgetSpec();
const update = operationsOf(document).find((operation) => operation.id === "updateWidget")!;
const cases = constraintCases(document, update, { name: "abc" }, specValidator(document));
const verdicts = Object.fromEntries(cases.map((kase) => [kase.name, kase.expected]));

describe("constraint cases of a request schema", () => {
  it("puts both sides of each length bound into the example", () => {
    expect(cases.find((kase) => kase.name === "name maxLength 3: 4 characters")).toEqual({
      name: "name maxLength 3: 4 characters",
      body: { name: "aaaa" },
      expected: "rejected",
      keyword: "maxLength",
    });
    expect(verdicts).toMatchObject({
      "name maxLength 3: 3 characters": "accepted",
      "name minLength 1: 0 characters": "rejected",
      "name minLength 1: 1 characters": "accepted",
    });
  });

  it("tries every JSON type the field's type rules out, and non-ASCII text", () => {
    expect(Object.keys(verdicts).filter((name) => name.startsWith("name type string:"))).toEqual([
      "name type string: null null",
      "name type string: boolean true",
      "name type string: number 1.5",
      "name type string: array []",
      "name type string: object {}",
      `name type string: non-ASCII text ${JSON.stringify(nonAsciiText)}`,
    ]);
    expect(cases.filter((kase) => kase.name.startsWith("name type string:")).map((kase) => kase.expected)).toEqual(
      Array(6).fill("rejected"),
    );
    // Which of them a TypeScript type can refuse: the wrong JSON types, not the non-ASCII text.
    expect(cases.find((kase) => kase.name === "name type string: number 1.5")).toMatchObject({
      keyword: "type",
      wrongType: { allowed: ["string"], given: "number" },
    });
    expect(cases.find((kase) => kase.name.includes("non-ASCII text"))).toMatchObject({ keyword: "nonAscii" });
    expect(cases.find((kase) => kase.name.includes("non-ASCII text"))?.wrongType).toBeUndefined();
  });

  it("removes required keys and adds unknown and non-ASCII keys where the schema forbids them", () => {
    expect(cases.find((kase) => kase.name === "name required: missing")?.body).toEqual({});
    expect(cases.find((kase) => kase.name.includes("unknown key"))).toEqual({
      name: `${unknownKey} additionalProperties false: an unknown key`,
      body: { name: "abc", [unknownKey]: true },
      expected: "rejected",
      keyword: "additionalProperties",
    });
    expect(verdicts[`${nonAsciiKey} a non-ASCII property name`]).toBe("rejected");
  });

  it("takes the verdict from the whole schema: a value outside one oneOf branch but inside another passes", () => {
    expect(verdicts["size const -1: -1"]).toBe("accepted");
    expect(verdicts["size minimum 1: 0"]).toBe("rejected");
    expect(verdicts["size maximum 10: 10"]).toBe("accepted");
    expect(verdicts["size type integer: number 1.5"]).toBe("rejected");
  });

  it("names each case once", () => {
    expect(new Set(cases.map((kase) => kase.name)).size).toBe(cases.length);
  });

  // Discord's message nonce: JSON.parse reads int64's 9223372036854775807 as 9223372036854775808.
  it("probes no bound a JavaScript number cannot hold exactly, and keeps those it can", () => {
    const wide = widgetSpec();
    const update = wide.components!.schemas!.WidgetUpdate as { properties: Record<string, object> };
    update.properties.nonce = { type: "integer", format: "int64", minimum: -9.223372036854776e18, maximum: 1e18 };
    update.properties.count = { type: "integer", minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
    const operation = operationsOf(wide).find((candidate) => candidate.id === "updateWidget")!;
    const names = constraintCases(wide, operation, { name: "abc" }, specValidator(wide)).map((kase) => kase.name);
    expect(names.filter((name) => /^nonce (minimum|maximum)/.test(name))).toEqual([]);
    expect(names.filter((name) => /^count (minimum|maximum)/.test(name))).toHaveLength(4);
  });
});
