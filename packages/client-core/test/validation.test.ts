import { describe, expect, it, vi } from "vitest";
import { createApiClient, ResponseValidationError, type ResponseValidators } from "../src/index.ts";
import { jsonResponse, recordingFetch, renamed, type ThingsClient, things } from "./things.ts";

/** The validators of things: a PATCH answer must have a `name`, except a 503, which the spec gives no schema. */
const validators: ResponseValidators = {
  violationsOf: (method, path, status, body) =>
    method === "PATCH" &&
    path === "/things/{id}" &&
    status !== 503 &&
    typeof (body as { name?: unknown })?.name !== "string"
      ? [{ pointer: "", message: "must have required property 'name'" }]
      : [],
};

function client(options: { validateResponses?: boolean }, body: unknown, status = 200) {
  const load = vi.fn(async () => validators);
  const { fetch } = recordingFetch(() => jsonResponse(status, body));
  return {
    load,
    client: createApiClient<ThingsClient>({ ...things, validators: load }, { apiKey: "k", fetch, ...options }),
  };
}

describe("validateResponses", () => {
  it("rejects an answer missing a required field with the pointer and status, on the typed and raw path", async () => {
    const { client: on } = client({ validateResponses: true }, { nickname: "x" });
    for (const call of [on.updateThing(renamed), on.PATCH("/things/{id}", renamed)]) {
      const failure = await call.catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ResponseValidationError);
      expect(failure).toMatchObject({
        status: 200,
        violations: [{ pointer: "", message: /required property 'name'/ }],
      });
    }
  });

  it("checks an error status's body too", async () => {
    const { client: on } = client({ validateResponses: true }, { message: "bad" }, 404);
    await expect(on.updateThing(renamed)).rejects.toMatchObject({ status: 404 });
  });

  it("passes a body that fits, and a status the spec gives no schema", async () => {
    expect((await client({ validateResponses: true }, { name: "ok" }).client.updateThing(renamed)).status).toBe(200);
    expect((await client({ validateResponses: true }, "oops", 503).client.updateThing(renamed)).status).toBe(503);
  });

  it("is per call too: a call turns it on or off", async () => {
    const off = client({}, { nickname: "x" });
    await expect(off.client.updateThing({ ...renamed, validateResponses: true })).rejects.toThrow(
      ResponseValidationError,
    );
    const on = client({ validateResponses: true }, { nickname: "x" });
    expect((await on.client.updateThing({ ...renamed, validateResponses: false })).status).toBe(200);
  });

  it("loads no validator while off", async () => {
    const { client: off, load } = client({}, { nickname: "x" });
    expect((await off.updateThing(renamed)).data).toEqual({ nickname: "x" });
    expect(load).not.toHaveBeenCalled();
  });
});
