import * as spec from "@contracts/spec";
import { describe, expect, it, vi } from "vitest";
import { contractCases } from "../src/cases.ts";
import { responseProblems } from "../src/judge.ts";
import { widgetSpec } from "./spec.ts";

// The spec layer as it is, its reading of every operation watched.
vi.mock("@contracts/spec", async (original) => {
  const actual = await original<typeof spec>();
  return { ...actual, operationsOf: vi.fn(actual.operationsOf) };
});

describe("responseProblems at size", () => {
  it("reads a document's operations once however many of its cases it judges", () => {
    const document = widgetSpec();
    const cases = contractCases(document, { apiKey: "k", maxCasesPerOperation: 50 });
    const validate = spec.specValidator(document, "response");
    const answer = { status: 200, body: { name: "aaa" }, headers: new Headers({ "content-type": "application/json" }) };
    vi.mocked(spec.operationsOf).mockClear();
    for (const kase of cases) responseProblems(document, kase, answer, { validate });
    expect(cases.length).toBeGreaterThan(10);
    expect(spec.operationsOf).toHaveBeenCalledTimes(1);
  });
});
