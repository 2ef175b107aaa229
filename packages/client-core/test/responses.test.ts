import { describe, expect, it } from "vitest";
import { documentedStatus, responseForStatus } from "../src/responses.ts";

describe("the documented response a status falls under", () => {
  it("is the exact code first, then its range in any case, then default, else none", () => {
    expect(documentedStatus(["default", "4xx", "404"], 404)).toBe("404");
    expect(documentedStatus(["default", "4xx", "404"], 409)).toBe("4xx");
    expect(documentedStatus(["default", "4XX"], 500)).toBe("default");
    expect(documentedStatus(["200", "4XX"], 500)).toBeUndefined();
  });

  it("picks the response object itself from a list", () => {
    const responses = [{ status: "2XX", body: "any success" }, { status: "201" }];
    expect(responseForStatus(responses, 204)).toBe(responses[0]);
    expect(responseForStatus(responses, 201)).toBe(responses[1]);
  });
});
