import { createServer } from "node:http";
import type { PrismHttpInstance } from "@stoplight/prism-http";
import { afterEach, expect, it } from "vitest";
import { type Answered, answer, loadServedSpec } from "../src/serve.ts";
import { exampleRequests, send } from "./specs.ts";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

// Prism has thrown on requests before (a bad path escape, a header Node refuses): whatever it
// throws next must cost that one request a 500, never the process. The failure is injected.
it("answers 500 saying the mock failed, reports it, and keeps serving when Prism throws", async () => {
  const [request] = await exampleRequests();
  const { served } = await loadServedSpec(request!.api);
  const failing = {
    request: () => {
      throw new Error("injected failure");
    },
  } as unknown as PrismHttpInstance;
  const answered: Answered[] = [];
  const server = createServer((incoming, response) => {
    void answer(incoming, response, {
      spec: served,
      prism: failing,
      config: { mock: { dynamic: false } } as never,
    }).then((result) => answered.push(result));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  for (const attempt of [1, 2]) {
    const response = await send(url, request!);
    expect(response.status, `attempt ${attempt}`).toBe(500);
    expect(await response.json()).toMatchObject({
      status: 500,
      detail: expect.stringMatching(/mock failed on this request.*injected failure/),
    });
  }
  expect(answered.map((result) => result.internalError)).toEqual([
    expect.stringMatching(/injected failure/),
    expect.stringMatching(/injected failure/),
  ]);
});
