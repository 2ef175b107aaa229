import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mocks, startMocks } from "../src/index.ts";

// A server that answers whatever is asked and counts each request: a mock must send it none.
const asked: string[] = [];
const remote = createServer((request, response) => {
  asked.push(`${request.method} ${request.url}`);
  response.setHeader("content-type", "application/json");
  response.end('{"type":"string","fetched":true}');
});
let origin = "";
let root = "";
let mocks: Mocks;

/** A spec of ours around `paths`, lint-clean under Redocly's recommended rules. */
const spec = (paths: string) => `openapi: 3.1.0
info: { title: Scratch, version: 1.0.0, license: { name: MIT, identifier: MIT } }
servers: [{ url: "https://scratch.test" }]
security: []
${paths}`;

const bad = `"400": { description: Bad request }`;

beforeAll(async () => {
  await new Promise<void>((resolve) => remote.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  root = await mkdtemp(path.join(tmpdir(), "mock-network-"));
  await writeFile(
    path.join(root, "redocly.yaml"),
    `extends: [recommended]
apis:
  scim: { root: scim.yaml }
  remote-schema: { root: remote-schema.yaml }
`,
  );
  // SCIM data holds a "$ref" key (as GitHub's published spec does): data, never a reference.
  await writeFile(
    path.join(root, "scim.yaml"),
    spec(`paths:
  /scim/v2/Users:
    get:
      operationId: listUsers
      summary: List users
      responses:
        "200":
          description: Users
          content:
            application/scim+json:
              schema: { type: object }
              example:
                schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
                Resources:
                  - id: "1"
                    groups:
                      - { value: "7", "$ref": "${origin}/scim/v2/Groups/7", display: Admins }
                    meta: { "$ref": "#/components/schemas/Group" }
        ${bad}
  /scim/v2/Groups:
    get:
      operationId: listGroups
      summary: List groups
      responses:
        "200":
          description: Groups, from the schema's own example
          content:
            application/json:
              schema:
                type: object
                example: { Resources: [{ id: "7", "$ref": "${origin}/scim/v2/Groups/7" }] }
        ${bad}
  /reports/latest:
    get:
      operationId: getReport
      summary: The latest report
      responses:
        "200":
          description: The report
          content:
            application/pdf:
              schema: { type: string, format: binary }
              examples:
                latest: { summary: A report kept elsewhere, externalValue: "${origin}/reports/latest.pdf" }
        ${bad}
  /labels:
    get:
      operationId: getLabels
      summary: Labels, one of them named __proto__
      responses:
        "200":
          description: Labels
          content:
            application/json:
              schema: { type: object, additionalProperties: { type: string } }
              example: { "__proto__": kept, team: core }
        ${bad}
components:
  schemas:
    Group: { type: object, properties: { display: { type: string } } }
`),
  );
  // A schema the spec needs, kept at a URL: refused with its place and the fix, never fetched.
  await writeFile(
    path.join(root, "remote-schema.yaml"),
    spec(`paths:
  /users:
    get:
      operationId: listUsers
      summary: List users
      responses:
        "200":
          description: Users
          content:
            application/json:
              schema: { $ref: "${origin}/schemas/user.json#/User" }
        ${bad}
`),
  );
  mocks = await startMocks({ root });
});

afterAll(async () => {
  await mocks?.stop();
  await new Promise((resolve) => remote.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe("nothing reaches the network", () => {
  it("serves an example whose value holds $ref keys exactly as written, without fetching them", async () => {
    expect(mocks.urls.scim).toBeDefined();
    const users = await fetch(`${mocks.urls.scim}/scim/v2/Users`);
    expect(users.status).toBe(200);
    expect(await users.json()).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      Resources: [
        {
          id: "1",
          groups: [{ value: "7", $ref: `${origin}/scim/v2/Groups/7`, display: "Admins" }],
          meta: { $ref: "#/components/schemas/Group" },
        },
      ],
    });
    const groups = await fetch(`${mocks.urls.scim}/scim/v2/Groups`);
    expect(await groups.json()).toEqual({ Resources: [{ id: "7", $ref: `${origin}/scim/v2/Groups/7` }] });
    expect(asked).toEqual([]);
  });

  it("serves an example key named __proto__ as written (Prism's own reading drops it)", async () => {
    const labels = await fetch(`${mocks.urls.scim}/labels`);
    expect(await labels.text()).toBe('{"__proto__":"kept","team":"core"}');
  });

  it("never fetches an externalValue that is a URL: the answer is the smallest file of its type", async () => {
    const report = await fetch(`${mocks.urls.scim}/reports/latest`);
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toBe("application/pdf");
    expect((await PDFDocument.load(await report.arrayBuffer())).getPageCount()).toBe(1);
    expect(asked).toEqual([]);
  });

  it("refuses a $ref to a URL in a schema, naming the place and the fix, and serves the other APIs", () => {
    expect(Object.keys(mocks.urls)).toEqual(["scim"]);
    expect(mocks.unserved).toEqual([
      {
        id: "remote-schema",
        reason: expect.stringMatching(
          /could not start: its spec cannot be served.*\n.*remote-schema\.yaml:15:\d+ Can't resolve \$ref: http:\/\/127\.0\.0\.1:\d+\/schemas\/user\.json is not fetched: the toolchain reads no URL; save a copy of it beside the spec and \$ref that file instead \(rule no-unresolved-refs, at #\/paths\/~1users\/get\/responses\/200\/content\/application~1json\/schema\)/,
        ),
      },
    ]);
    expect(asked).toEqual([]);
  });
});
