import { fileURLToPath } from "node:url";
import { corpusRoot, fixtureRoot } from "@contracts/fixtures";
import { startMocks } from "@contracts/mock";
import {
  apiKeyEnvOf,
  credentialEnvOf,
  exampleCall,
  fillPath,
  firstSchemeOf,
  listApis,
  loadSpec,
  operationsOf,
} from "@contracts/spec";
import { execa } from "execa";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatReport, reportPasses, unreachedOperations, type VerifyReport, verify } from "../src/index.ts";
import {
  type Answer,
  answersSuccess as answersSuccessOf,
  breaks,
  documentedSuccess,
  json,
  startUpstream,
  type Upstream,
} from "./upstream.ts";

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
/** Distinctive, so a leak is easy to spot. */
const testKey = "verify-test-key-5d1e8b";
const apis = await listApis(fixtureRoot);
const documents = Object.fromEntries(
  await Promise.all(apis.map(async (api) => [api.id, await loadSpec(api)] as const)),
);

const upstreams: Upstream[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});
async function upstream(id: string, answer: Answer): Promise<Upstream> {
  const started = await startUpstream(documents[id]!, answer);
  upstreams.push(started);
  return started;
}

/** Runs the CLI as a user would on the fixture registry, with the API's key variable set (or not). */
function runCli(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [cli, "--root", fixtureRoot, ...args], {
    reject: false,
    all: true,
    env: { ...env, NODE_NO_WARNINGS: "1" },
    extendEnv: true,
  });
}

const answersSuccess = (id: string, change?: Parameters<typeof answersSuccessOf>[1]) =>
  answersSuccessOf(documents[id]!, change);
const violationsOf = (report: VerifyReport) =>
  report.results.flatMap((result) => result.violations.map((violation) => ({ ...result, ...violation })));

describe.each(apis.map((api) => api.id))("verify %s", (id) => {
  const [operation] = operationsOf(documents[id]!);
  const credential = firstSchemeOf(documents[id]!, operation!)!;

  it.each(breaks)("reports $name on every documented request example", async (broken) => {
    const provider = await upstream(id, answersSuccess(id, broken.change));
    const report = await verify({ root: fixtureRoot, api: id, upstream: provider.url, write: true, apiKey: testKey });
    const examples = report.results.filter(
      (result) => result.varied === "the example call" || result.varied.startsWith("request example "),
    );
    expect(examples.length).toBeGreaterThan(0);
    for (const result of examples) {
      expect(result.violations).toContainEqual(broken.violation(documentedSuccess(documents[id]!, operation!)));
      // A valid request is never blamed for the provider's answer.
      expect(result.violations.filter((violation) => violation.side === "request")).toEqual([]);
    }
  });

  it("reports a request the spec accepts that the provider refuses (4xx), and cannot pass without a 2xx", async () => {
    const provider = await upstream(id, (_operation, _request, response) => json(response, 404, {}));
    const report = await verify({ root: fixtureRoot, api: id, upstream: provider.url, write: true, apiKey: testKey });
    const valid = report.results.filter((result) => result.group === "valid requests");
    expect(valid.length).toBeGreaterThan(0);
    for (const result of valid)
      expect(result.violations).toContainEqual({
        side: "response",
        pointer: "/statusCode",
        rule: "refused (404) a request the spec accepts",
      });
    expect(unreachedOperations(report).map((operation) => operation.operationId)).toEqual([operation!.id]);
    expect(reportPasses(report)).toBe(false);
    expect(formatReport(report)).toContain(
      `${operation!.id} (${operation!.method.toUpperCase()} ${operation!.path}) never answered 2xx`,
    );
  });

  it("ends with the coverage: the operations that answered 2xx and the documented statuses reached", async () => {
    const provider = await upstream(id, answersSuccess(id));
    const report = await verify({ root: fixtureRoot, api: id, upstream: provider.url, write: true, apiKey: testKey });
    const documented = Object.keys(operation!.object.responses ?? {});
    const [coverage] = report.coverage;
    expect(coverage).toMatchObject({ operationId: operation!.id, success: true, documentsSuccess: true });
    expect([...coverage!.reached, ...coverage!.missed].sort()).toEqual([...documented].sort());
    expect(coverage!.reached).toContain(String(documentedSuccess(documents[id]!, operation!).status));
    expect(formatReport(report).split("\n").slice(-2)).toEqual([
      `Coverage of ${id}: 1 of 1 operations answered 2xx; ${coverage!.reached.length} of ${documented.length} documented statuses reached.`,
      expect.stringMatching(new RegExp(`^  ${operation!.method.toUpperCase()} \\S+  2xx; reached `)),
    ]);
  });

  it("reports a request the spec rejects that the provider accepts (2xx)", async () => {
    const provider = await upstream(id, answersSuccess(id));
    const report = await verify({ root: fixtureRoot, api: id, upstream: provider.url, write: true, apiKey: testKey });
    const accepted = violationsOf(report).filter((violation) => violation.side === "request");
    expect(accepted.map((violation) => violation.varied)).toContain("no credentials");
    expect(
      accepted.some(
        (violation) => violation.varied.includes("additionalProperties false") && violation.pointer.startsWith("/body"),
      ),
    ).toBe(true);
    const { status } = documentedSuccess(documents[id]!, operation!);
    for (const violation of accepted)
      expect(violation.rule).toMatch(new RegExp(`^accepted \\(${status}\\) although the spec rejects it: `));
    // The valid requests (the documented examples among them): accepting them is no violation.
    expect(accepted.filter((violation) => violation.group === "valid requests")).toEqual([]);
  });

  it("without --write sends no request carrying credentials, even with the key set", async () => {
    vi.stubEnv(apiKeyEnvOf(id), testKey);
    const provider = await upstream(id, answersSuccess(id));
    const report = await verify({ root: fixtureRoot, api: id, upstream: provider.url });
    expect(provider.received.length).toBeGreaterThan(0);
    // No key: none at all, or a malformed credential made of no key.
    for (const request of provider.received) {
      expect(request.headers[credential.name.toLowerCase()] ?? "").not.toContain(credential.prefix || testKey);
      expect(JSON.stringify(request.headers)).not.toContain(testKey);
    }
    expect(report.results.map((result) => result.group)).toEqual(report.results.map(() => "credentials"));
    expect(report.results.map((result) => result.varied)).toContain("no credentials");
    const { status } = documentedSuccess(documents[id]!, operation!);
    expect(violationsOf(report)[0]?.rule).toMatch(
      new RegExp(`^accepted \\(${status}\\) although the spec rejects it: `),
    );
  });

  it("keeps the upstream URL's own path in front of the operation's path", async () => {
    const provider = await upstream(id, (_operation, _request, response) => response.writeHead(204).end());
    await verify({ root: fixtureRoot, api: id, upstream: `${provider.url}/base/v1` });
    const sentPath = exampleCall(documents[id]!, operation!).path;
    expect(provider.received.length).toBeGreaterThan(0);
    for (const request of provider.received) expect(request.url).toBe(`/base/v1${sentPath}`);
  });

  // Only operations with path parameters get this case: no skipped placeholders elsewhere.
  const parameterNames = Object.keys(exampleCall(documents[id]!, operation!).pathParameters);
  if (parameterNames.length > 0)
    it("takes path parameters from --param over the spec's example", async () => {
      const provider = await upstream(id, answersSuccess(id));
      await verify({
        root: fixtureRoot,
        api: id,
        upstream: provider.url,
        params: Object.fromEntries(parameterNames.map((name) => [name, "sandbox org/1"])),
      });
      const expected = fillPath(
        operation!.path,
        Object.fromEntries(parameterNames.map((name) => [name, "sandbox org/1"])),
      );
      expect(provider.received.length).toBeGreaterThan(0);
      for (const request of provider.received) expect(request.url).toBe(expected);
    });

  it("with --write sends the key from the API's environment variable as the spec says", async () => {
    vi.stubEnv(apiKeyEnvOf(id), testKey);
    const provider = await upstream(id, answersSuccess(id));
    const report = await verify({ root: fixtureRoot, api: id, upstream: provider.url, write: true });
    const sent = provider.received.map((request) => request.headers[credential.name.toLowerCase()]);
    const withKey = sent.filter((value) => value === `${credential.prefix}${testKey}`);
    // Every case but those of missing or malformed credentials carries the key, as the scheme writes it.
    const credentialCases = report.results.filter((result) => result.group === "credentials");
    expect(withKey.length).toBe(provider.received.length - credentialCases.length);
    expect(sent.filter((value) => value !== undefined && !withKey.includes(value)).join()).not.toContain(testKey);
  });
});

describe("the verify CLI (npm run verify)", () => {
  it("exits 0 with --write against the project's own mock of every API", async () => {
    const mocks = await startMocks({ root: fixtureRoot });
    try {
      const runs = await Promise.all(
        apis.map((api) =>
          runCli([api.id, "--upstream", mocks.urls[api.id]!, "--write"], { [apiKeyEnvOf(api.id)]: testKey }),
        ),
      );
      for (const [index, run] of runs.entries()) {
        expect(run.exitCode, run.all).toBe(0);
        expect(run.stdout).toMatch(
          new RegExp(
            `^${apis[index]!.id}: \\d+ cases, (\\d+) conform, 0 break the contract \\(0 violations\\)\\.$`,
            "m",
          ),
        );
      }
    } finally {
      await mocks.stop();
    }
  });

  it("exits 1 naming each violation with its request, status, pointer and rule", async () => {
    const [{ id }] = apis as [(typeof apis)[number]];
    const provider = await upstream(
      id,
      answersSuccess(id, () => ({ status: 418 })),
    );
    const run = await runCli([id, "--upstream", provider.url]);
    expect(run.exitCode, run.all).toBe(1);
    const [operation] = operationsOf(documents[id]!);
    expect(run.stdout).toMatch(
      new RegExp(`^${operation!.method.toUpperCase()} \\S+  \\[no credentials\\]  -> 418  1 violation$`, "m"),
    );
    expect(run.stdout).toMatch(/^ {4}response \/statusCode {2}Unable to match the returned status code/m);
    expect(run.stdout).toMatch(
      new RegExp(`^${id}: 1 cases, 0 conform, 1 break the contract \\(1 violations\\)\\.$`, "m"),
    );
  });

  it("never prints the key, even when the provider sends it back into a violation", async () => {
    const [{ id }] = apis as [(typeof apis)[number]];
    const provider = await upstream(
      id,
      answersSuccess(id, () => ({ contentType: `text/x-${testKey}` })),
    );
    const run = await runCli([id, "--upstream", provider.url, "--write"], { [apiKeyEnvOf(id)]: testKey });
    expect(run.exitCode, run.all).toBe(1);
    expect(run.all).toContain("text/x-<redacted>");
    expect(run.all).not.toContain(testKey);
  });

  it("takes HTTP basic credentials from <ID>_<SCHEME>_USERNAME and _PASSWORD and never prints the password", async () => {
    const mocks = await startMocks({ root: corpusRoot, apis: ["museum"] });
    try {
      const env = credentialEnvOf("museum", "MuseumPlaceholderAuth");
      const password = "verify-secret-9b2c";
      const run = await execa(
        process.execPath,
        [cli, "--root", corpusRoot, "museum", "--upstream", mocks.urls.museum!, "--write"],
        {
          reject: false,
          all: true,
          env: { [`${env}_USERNAME`]: "u", [`${env}_PASSWORD`]: password, NODE_NO_WARNINGS: "1" },
          extendEnv: true,
        },
      );
      expect(run.exitCode, run.all).toBe(0);
      expect(run.stdout).toMatch(/^Coverage of museum: 8 of 8 operations answered 2xx;/m);
      expect(run.all).not.toContain(password);
      expect(run.all).not.toContain(btoa(`u:${password}`));
    } finally {
      await mocks.stop();
    }
  });

  it("exits 2 and sends nothing when --write has no key", async () => {
    const [{ id }] = apis as [(typeof apis)[number]];
    const provider = await upstream(id, answersSuccess(id));
    const run = await runCli([id, "--upstream", provider.url, "--write"], { [apiKeyEnvOf(id)]: "" });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`set ${apiKeyEnvOf(id)} to a sandbox organisation's`);
    expect(provider.received).toEqual([]);
  });

  it.concurrent.each([
    { args: ["--nope"], says: /Unknown option '--nope'[\s\S]*Usage: contracts-verify/ },
    { args: [], says: /Name exactly one API id/ },
    { args: ["no-such-api"], says: /Unknown API id "no-such-api"\. The registry \(redocly\.yaml\) lists: / },
    { args: [apis[0]!.id, "--upstream", "not a url"], says: /is not a URL: "not a url"/ },
    {
      args: [apis[0]!.id, "--param", "no_such=1", "--upstream", "http://127.0.0.1:9"],
      says: /No path parameter no_such in specs\//,
    },
    { args: [apis[0]!.id, "--param", "novalue"], says: /--param novalue: expected <name>=<value>/ },
  ])("exits 2 with a clear message, no stack trace: $args", async ({ args, says }) => {
    const run = await runCli(args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(says);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("exits 2 naming the upstream when it does not answer", async () => {
    const closed = await upstream(apis[0]!.id, answersSuccess(apis[0]!.id));
    await closed.close();
    const run = await runCli([apis[0]!.id, "--upstream", closed.url]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`Upstream of "${apis[0]!.id}" at ${closed.url} did not answer: `);
  });
});
