import { request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { untilOutput } from "@contracts/cli";
import { fixtureRoot } from "@contracts/fixtures";
import { exampleCall, firstSchemeOf, listApis, loadSpec, operationsOf } from "@contracts/spec";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { type Proxies, type ProxyViolation, startProxies } from "../src/index.ts";
import {
  type Answer,
  answersSuccess,
  breaks,
  documentedResponse,
  documentedSuccess,
  json,
  startUpstream,
  type Upstream,
} from "./upstream.ts";

const cli = fileURLToPath(new URL("../src/proxy-cli.ts", import.meta.url));
const apis = await listApis(fixtureRoot);
const documents = Object.fromEntries(
  await Promise.all(apis.map(async (api) => [api.id, await loadSpec(api)] as const)),
);

const running: (Proxies | Upstream)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => ("stop" in server ? server.stop() : server.close())));
});

async function upstream(id: string, answer: Answer): Promise<Upstream> {
  const started = await startUpstream(documents[id]!, answer);
  running.push(started);
  return started;
}

/** One proxy in front of `upstreamUrl`, collecting the violations it reports. */
async function proxy(id: string, upstreamUrl: string) {
  const violations: ProxyViolation[] = [];
  const upstreamErrors: string[] = [];
  const proxies = await startProxies({
    root: fixtureRoot,
    apis: [id],
    upstreams: { [id]: upstreamUrl },
    onViolation: (violation) => violations.push(violation),
    onUpstreamError: (_api, error) => upstreamErrors.push(error.message),
  });
  running.push(proxies);
  return { url: proxies.urls[id]!, violations, upstreamErrors };
}

interface RawAnswer {
  status: number;
  rawHeaders: string[];
  body: Buffer;
}

/** A request through node:http, which shows the answer's headers and bytes as they arrive (fetch would decode them). */
function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      `${url}${path}`,
      { method, headers: { ...headers, "content-length": String(body.length) } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("end", () =>
          resolve({ status: incoming.statusCode!, rawHeaders: incoming.rawHeaders, body: Buffer.concat(chunks) }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Headers as name/value pairs, without those that describe one connection (a proxy must drop or rewrite them). */
const endToEndPairs = (rawHeaders: string[]) =>
  rawHeaders
    .flatMap((name, index) => (index % 2 === 0 ? [[name, rawHeaders[index + 1]!] as const] : []))
    .filter(([name]) => !["connection", "keep-alive", "transfer-encoding", "date"].includes(name.toLowerCase()));

describe.each(apis.map((api) => api.id))("proxy %s", (id) => {
  const document = documents[id]!;
  const operation = operationsOf(document)[0]!;
  const credential = firstSchemeOf(document, operation)!;
  const example = exampleCall(document, operation);
  const { path } = example;
  const method = operation.method.toUpperCase();
  const validRequest = (url: string, body: unknown = example.body) =>
    send(
      url,
      method,
      path,
      { "content-type": "application/json", [credential.name]: `${credential.prefix}client-key` },
      Buffer.from(JSON.stringify(body)),
    );

  it.each([
    { encoding: "identity", encode: (body: Buffer) => body },
    { encoding: "gzip", encode: gzipSync },
  ])(
    "passes a conforming exchange through byte for byte ($encoding) and reports nothing",
    async ({ encoding, encode }) => {
      const success = documentedSuccess(document, operation);
      // Indented JSON: a proxy that re-serialised the body would change its bytes.
      const sent = encode(Buffer.from(JSON.stringify(success.body, null, 3)));
      const provider = await upstream(id, (_operation, _request, response) => {
        response
          .writeHead(success.status, {
            "Content-Type": "application/json; charset=utf-8",
            "X-Request-Id": "req-42",
            "Content-Encoding": encoding,
            "Content-Length": sent.length,
          })
          .end(sent);
      });
      const { url, violations } = await proxy(id, provider.url);
      const requestBody = Buffer.from(JSON.stringify(example.body, null, 1));
      const answer = await send(
        url,
        method,
        `${path}?trace=1`,
        {
          "content-type": "application/json",
          [credential.name]: `${credential.prefix}client-key`,
          "x-client": "app",
        },
        requestBody,
      );

      expect(violations).toEqual([]);
      expect(answer.status).toBe(success.status);
      expect(answer.body.equals(sent)).toBe(true);
      expect(answer.rawHeaders.filter((name, index) => index % 2 === 0 && name.toLowerCase() === "date")).toHaveLength(
        1,
      );
      expect(endToEndPairs(answer.rawHeaders)).toEqual([
        ["Content-Type", "application/json; charset=utf-8"],
        ["X-Request-Id", "req-42"],
        ["Content-Encoding", encoding],
        ["Content-Length", String(sent.length)],
      ]);
      const [received] = provider.received;
      expect(received!.method).toBe(method);
      expect(received!.url).toBe(`${path}?trace=1`);
      expect(received!.body.equals(requestBody)).toBe(true);
      expect(received!.headers[credential.name.toLowerCase()]).toBe(`${credential.prefix}client-key`);
      expect(received!.headers["x-client"]).toBe("app");
    },
  );

  it.each(breaks)("logs $name and passes the answer through", async (broken) => {
    const provider = await upstream(id, answersSuccess(document, broken.change));
    const { url, violations } = await proxy(id, provider.url);
    const answer = await validRequest(url);
    expect(violations).toContainEqual(
      expect.objectContaining({
        api: id,
        method,
        path,
        status: answer.status,
        ...broken.violation(documentedSuccess(document, operation)),
      }),
    );
    expect(violations.filter((violation) => violation.side === "request")).toEqual([]);
    expect(answer.status).toBe(
      broken.change(documentedSuccess(document, operation)).status ?? documentedSuccess(document, operation).status,
    );
  });

  it("logs a request the spec rejects, forwards it anyway, and flags the provider accepting it", async () => {
    const provider = await upstream(id, answersSuccess(document));
    const { url, violations } = await proxy(id, provider.url);
    const answer = await send(url, method, path, { "content-type": "application/json" }, Buffer.from("{}"));
    expect(answer.status).toBe(documentedSuccess(document, operation).status);
    expect(provider.received.map((request) => request.body.toString())).toEqual(["{}"]);
    expect(violations).toContainEqual(
      expect.objectContaining({
        side: "request",
        pointer: "/headers",
        rule: expect.stringMatching(/^accepted \(\d+\) although the spec rejects it: .*security/),
      }),
    );
    expect(violations).toContainEqual(
      expect.objectContaining({ side: "request", pointer: expect.stringMatching(/^\/body/) }),
    );
  });

  it("logs a refused invalid request as the client's violation only", async () => {
    const unauthorized = documentedResponse(document, operation, (code) => code === "401");
    const provider = await upstream(id, (_operation, _request, response) =>
      json(response, unauthorized.status, unauthorized.body),
    );
    const { url, violations } = await proxy(id, provider.url);
    const answer = await send(
      url,
      method,
      path,
      { "content-type": "application/json" },
      Buffer.from(JSON.stringify(example.body)),
    );
    expect(answer.status).toBe(401);
    expect(violations).toEqual([
      expect.objectContaining({ side: "request", pointer: "/headers", rule: expect.stringMatching(/security/) }),
    ]);
  });

  it("forwards a request to a path the spec does not document, and logs it", async () => {
    const provider = await upstream(id, (_operation, _request, response) => response.writeHead(404).end());
    const { url, violations } = await proxy(id, provider.url);
    const answer = await send(url, "GET", "/not/in/the/spec", {}, Buffer.alloc(0));
    expect(answer.status).toBe(404);
    expect(provider.received.map((request) => request.url)).toEqual(["/not/in/the/spec"]);
    expect(violations).toEqual([
      expect.objectContaining({ side: "request", pointer: "/url/path", rule: "Selected route not found" }),
    ]);
  });

  it("answers 502 and reports it when the upstream does not answer", async () => {
    const gone = await upstream(id, answersSuccess(document));
    await gone.close();
    const { url, violations, upstreamErrors } = await proxy(id, gone.url);
    const answer = await validRequest(url);
    expect(answer.status).toBe(502);
    expect(answer.body.toString()).toContain(`Upstream of "${id}" at ${gone.url} did not answer`);
    expect(upstreamErrors).toHaveLength(1);
    expect(violations).toEqual([]);
  });
});

describe("the proxy CLI (npm run proxy)", () => {
  it("prints its table, one line per violation, and stops on SIGTERM with exit 0", async () => {
    const [{ id }] = apis as [(typeof apis)[number]];
    const provider = await upstream(
      id,
      answersSuccess(documents[id]!, () => ({ status: 418 })),
    );
    const child = execa(
      process.execPath,
      [cli, id, "--root", fixtureRoot, "--port", `${id}=0`, "--upstream", `${id}=${provider.url}`],
      {
        all: true,
        reject: false,
      },
    );
    const output = await untilOutput(child, "Ctrl-C to stop");
    const url = new RegExp(`^${id}\\s+(http://127\\.0\\.0\\.1:\\d+)\\s+${provider.url}$`, "m").exec(output())?.[1];
    expect(url, output()).toBeDefined();
    const operation = operationsOf(documents[id]!)[0]!;
    const path = operation.path.replaceAll(
      /\{([^}]+)\}/g,
      (_match, name: string) => exampleCall(documents[id]!, operation).pathParameters[name]!,
    );
    const logged = untilOutput(
      child,
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d ${id}\\s+${operation.method.toUpperCase()}\\s+${path} -> 418  response /statusCode  Unable to match`,
        "m",
      ),
    );
    const answer = await fetch(`${url}${path}`, {
      method: operation.method.toUpperCase(),
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(answer.status).toBe(418);
    await logged;
    child.kill("SIGTERM");
    expect((await child).exitCode).toBe(0);
  });

  it.concurrent.each([
    { args: ["--nope"], says: /Unknown option '--nope'[\s\S]*Usage: contracts-proxy/ },
    {
      args: ["--upstream", "no-such-api=http://127.0.0.1:9"],
      says: /--upstream for no-such-api, which is not among the proxied APIs/,
    },
    { args: ["--port", "no-such-api=1"], says: /--port no-such-api=1: expected <api-id>=<port>/ },
  ])("exits 2 with a clear message: $args", async ({ args, says }) => {
    const run = await execa(process.execPath, [cli, "--root", fixtureRoot, ...args], { reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(says);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
