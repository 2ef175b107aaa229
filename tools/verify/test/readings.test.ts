import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { apiById, loadSpec } from "@contracts/spec";
import { afterAll, describe, expect, it } from "vitest";
import { formatReport, verify } from "../src/index.ts";
import { startUpstream } from "./upstream.ts";

// A registry of one inline spec whose request body has a pattern fast-check's generator does not
// read: `\b`, as in DigitalOcean's UUIDs (verify crashed on them, deriving the cases); and whose
// response example breaks its own schema, as Twilio's relative `uri`s do; and a DELETE with a body,
// as DigitalOcean's and Discord's.
const root = mkdtempSync(path.join(tmpdir(), "verify-readings-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(path.join(root, "redocly.yaml"), "apis:\n  things:\n    root: things.yaml\nextends:\n  - minimal\n");
writeFileSync(
  path.join(root, "things.yaml"),
  `openapi: 3.1.0
info:
  title: Things
  version: 1.0.0
servers:
  - url: https://things.example.com
security: []
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [code]
              properties:
                code:
                  type: string
                  pattern: '^[a-f]{3}\\b-\\b[0-9]{2}$'
      responses:
        "201":
          description: Created
  /things/{id}:
    delete:
      operationId: deleteThing
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
          example: t1
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                reason:
                  type: string
            example:
              reason: duplicate
      responses:
        "204":
          description: Deleted
  /pages:
    get:
      operationId: listPages
      responses:
        "200":
          description: A page of things, whose example writes its own link relative (Twilio's \`uri\`s)
          content:
            application/json:
              schema:
                type: object
                properties:
                  uri:
                    type: string
                    format: uri
              examples:
                first:
                  value:
                    uri: /pages?page=0
`,
);
const document = await loadSpec(await apiById("things", root));
const pattern = /^[a-f]{3}\b-\b[0-9]{2}$/u;

describe("verify of a spec with a pattern fast-check cannot generate from", () => {
  it("sends a body that fits it, and names the pattern with its file and line before the cases", async () => {
    const upstream = await startUpstream(document, (operation, _request, response) => {
      if (operation?.id === "createThing") response.writeHead(201).end();
      else
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ uri: "https://x.example/p" }));
    });
    const report = await verify({ root, api: "things", upstream: upstream.url, write: true }).finally(() =>
      upstream.close(),
    );
    const call = report.results.find((result) => result.varied === "the example call");
    expect(call).toMatchObject({ status: 201, violations: [] });
    const sent = JSON.parse(upstream.received[report.results.indexOf(call!)]!.body.toString("utf8"));
    expect(sent.code).toMatch(pattern);
    const pointer = "/paths/~1things/post/requestBody/content/application~1json/schema/properties/code";
    expect(report.notes).toEqual([
      `things.yaml:20 (#${pointer}): \`pattern: ${pattern.source}\` is beyond fast-check's generator (Meta character \\b not implemented yet!): its strings are drawn from strings of the pattern without its assertions and back references, 50 tried per value, and a value may not be found`,
    ]);
    expect(formatReport(report).split("\n")[1]).toBe(`Note: ${report.notes[0]}`);
  });
});

describe("verify of an answer breaking its schema where the spec's own example does", () => {
  async function verifyWith(body: unknown) {
    const upstream = await startUpstream(document, (operation, _request, response) => {
      if (operation?.id === "createThing") response.writeHead(201).end();
      else response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    return verify({ root, api: "things", upstream: upstream.url, write: true }).finally(() => upstream.close());
  }

  it("tells it as the spec's defect, and does not hold it against the provider", async () => {
    const report = await verifyWith({ uri: "/pages?page=0" });
    const call = report.results.find((result) => result.method === "GET" && result.varied === "the example call")!;
    expect(call.violations).toEqual([]);
    expect(call.specDefects).toEqual([
      {
        side: "response",
        pointer: "/body",
        rule: 'the spec\'s own example "first" of this answer breaks its schema: the 200 body breaks its schema (/uri must match format "uri"): {"uri":"/pages?page=0"}',
      },
    ]);
    const gets = report.results.filter((result) => result.method === "GET");
    expect(gets.flatMap((result) => result.violations)).toEqual([]);
    expect(formatReport(report)).toContain(
      "1 answer broke its schema only where the spec's own example does: the spec's defects, not the provider's.",
    );
  });

  // A mock sets the page fields of a list it serves; a server may agree with the example.
  it("tells a body breaking the schema only where the example does as the spec's defect too", async () => {
    const report = await verifyWith({ uri: "/pages?page=3" });
    const call = report.results.find((result) => result.method === "GET" && result.varied === "the example call")!;
    expect(call.violations).toEqual([]);
    expect(call.specDefects).toEqual([expect.objectContaining({ pointer: "/body" })]);
  });

  it("holds a body breaking the schema where the example does not against the provider", async () => {
    const report = await verifyWith({ uri: 5 });
    const call = report.results.find((result) => result.method === "GET" && result.varied === "the example call")!;
    expect(call.specDefects).toEqual([]);
    expect(call.violations).toContainEqual(expect.objectContaining({ side: "response", pointer: "/body" }));
  });
});

describe("verify of a DELETE with a body", () => {
  it("sends the body framed by its length, so the server reads it as the body", async () => {
    const upstream = await startUpstream(document, (_operation, _request, response) => {
      response.writeHead(204).end();
    });
    const report = await verify({ root, api: "things", upstream: upstream.url, write: true }).finally(() =>
      upstream.close(),
    );
    const call = report.results.find((result) => result.method === "DELETE" && result.varied === "the example call");
    expect(call).toMatchObject({ status: 204, violations: [] });
    const received = upstream.received.find((request) => request.method === "DELETE")!;
    expect(received.headers["content-length"]).toBe(String(received.body.length));
    expect(JSON.parse(received.body.toString("utf8"))).toEqual({ reason: "duplicate" });
  });
});
