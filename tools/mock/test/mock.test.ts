import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import getPort from "get-port";
import { afterEach, describe, expect, it } from "vitest";
import { listening } from "./listening.ts";
import { repoRoot, UnknownApiError } from "@contracts/registry";
import { MockStartError, startMocks, type MockRequest, type Mocks } from "../src/index.ts";

const running: Mocks[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((mocks) => mocks.stop()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function start(options: Parameters<typeof startMocks>[0] = {}): Promise<Mocks> {
  const mocks = await startMocks(options);
  running.push(mocks);
  return mocks;
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, "127.0.0.1", () => resolve(server));
    cleanups.push(() => new Promise((done) => server.close(done)));
  });
}

const blandUpdate = (url: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${url}/v1/orgs/org-1/properties`, { method: "PATCH", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("startMocks", () => {
  it("serves every API of the registry on free ports, with validation and security checks on", async () => {
    const mocks = await start();
    expect(Object.keys(mocks.urls)).toEqual(["pipecat-cloud", "bland", "frontier"]);
    const ok = await blandUpdate(mocks.urls.bland!, { authorization: "key" }, { updates: { org_display_name: "Org Name" } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { org_display_name: string } }).data.org_display_name).toBe("Org Name");
    expect((await blandUpdate(mocks.urls.bland!, { authorization: "key" }, { updates: { org_display_name: "" } })).status).toBe(400);
    expect((await blandUpdate(mocks.urls.bland!, {}, { updates: {} })).status).toBe(401);
  });

  it("lists each operation with an example path", async () => {
    const mocks = await start({ apis: ["frontier"] });
    expect(mocks.mocks).toEqual([
      {
        id: "frontier",
        url: mocks.urls.frontier,
        operations: [{ method: "PUT", path: "/v1beta1/organizations/{id}", examplePath: "/v1beta1/organizations/9f256f86-d3c4-4a6e-b89a-1e9a23c5d78e" }],
      },
    ]);
  });

  it("stop closes every server and frees its port", async () => {
    const ports = { bland: await getPort(), frontier: await getPort() };
    const mocks = await start({ apis: ["bland", "frontier"], ports });
    expect(await listening(ports.bland)).toBe(true);
    await mocks.stop();
    expect(await listening(ports.bland)).toBe(false);
    expect(await listening(ports.frontier)).toBe(false);
  });

  it("reports each request served: method, path, status and violations", async () => {
    const requests: MockRequest[] = [];
    const mocks = await start({ apis: ["bland"], onRequest: (request) => requests.push(request) });
    await blandUpdate(mocks.urls.bland!, { authorization: "key" }, { updates: { nickname: "x" } });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ api: "bland", method: "PATCH", path: "/v1/orgs/org-1/properties", status: 400 });
    expect(requests[0]!.violations.join()).toMatch(/nickname/);
  });

  it("generates bodies from the schemas with dynamic", async () => {
    const mocks = await start({ apis: ["bland"], dynamic: true });
    const response = await blandUpdate(mocks.urls.bland!, { authorization: "key" }, { updates: { org_display_name: "Org Name" } });
    const body = (await response.json()) as { data: { id: string }; errors: null };
    expect(response.status).toBe(200);
    expect(body.errors).toBeNull();
    expect(body.data.id).not.toBe("d122b4cf-1614-4124-aa28-15f81a09988f");
  });

  it("rejects an unknown API id, naming the known ones", async () => {
    await expect(startMocks({ apis: ["nope"] })).rejects.toThrow(UnknownApiError);
  });

  it("fails fast on a busy port, naming the API, and leaves no mock running", async () => {
    const ports = { "pipecat-cloud": await getPort(), bland: await getPort(), frontier: await getPort() };
    await occupy(ports.frontier);
    const failure = startMocks({ ports });
    await expect(failure).rejects.toThrow(MockStartError);
    await expect(failure).rejects.toThrow(`Mock of "frontier" (specs/frontier.yaml) could not start: port ${ports.frontier} on 127.0.0.1 is already in use`);
    expect(await listening(ports["pipecat-cloud"])).toBe(false);
    expect(await listening(ports.bland)).toBe(false);
  });

  it("fails with the API's name when Prism cannot load its spec", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "mock-test-"));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    await cp(path.join(repoRoot, "redocly.yaml"), path.join(root, "redocly.yaml"));
    await cp(path.join(repoRoot, "specs"), path.join(root, "specs"), { recursive: true });
    await writeFile(path.join(root, "specs", "bland.yaml"), "openapi: 3.1.0\npaths: [\n");
    await expect(startMocks({ root })).rejects.toThrow(/Mock of "bland" \(specs\/bland\.yaml\) could not start: Prism cannot load the spec/);
  });
});
