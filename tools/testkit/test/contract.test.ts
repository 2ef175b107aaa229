import type { MockRequest } from "@contracts/mock";
import { describe, expect, it } from "vitest";
import { disagreements, expectMockHealthy } from "../src/contract.ts";

const request = (status: number, internalError?: string): MockRequest => ({
  api: "widgets",
  method: "PATCH",
  path: "/widgets/w1",
  status,
  undocumented: false,
  violations: [],
  ...(internalError !== undefined && { internalError }),
});

describe("the contract tests' check of the mock after each test", () => {
  it("fails when the mock failed internally on a request, naming the request and the error", () => {
    const served = [request(200), request(500, "TypeError: boom\n    at answer (serve.ts:1:1)"), request(400)];
    expect(() => expectMockHealthy(served)).toThrow(
      /the mock failed internally[\s\S]*PATCH \/widgets\/w1: TypeError: boom/,
    );
  });

  it("passes when every request was answered, a documented 500 included, and forgets what it checked", () => {
    const served = [request(200), request(400), request(500)];
    expectMockHealthy(served);
    expect(served).toEqual([]);
  });

  it("checks each failure once: the next test starts clean", () => {
    const served = [request(500, "RangeError: bad")];
    expect(() => expectMockHealthy(served)).toThrow(/RangeError: bad/);
    expect(served).toEqual([]);
    expectMockHealthy(served);
  });
});

describe("the mocks' agreement on each case", () => {
  it("is checked by the second mock to answer a case, naming both statuses, whichever runs first", () => {
    const statuses = new Map();
    const [first, second] = [{ name: "a" }, { name: "b" }] as never[];
    expect(disagreements(statuses, first!, "MSW handlers", 422)).toEqual([]);
    expect(disagreements(statuses, first!, "Prism mock", 400)).toEqual([
      "the mocks disagree: 400 from Prism mock, 422 from MSW handlers",
    ]);
    expect(disagreements(statuses, second!, "Prism mock", 200)).toEqual([]);
    expect(disagreements(statuses, second!, "MSW handlers", 200)).toEqual([]);
  });
});
