import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { operationsOf, specValidator, undocumentedHeader } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { type ContractCase, contractCases, fittingRequestBody } from "../src/cases.ts";
import { responseProblems, sendCase } from "../src/judge.ts";
import { bodyInit } from "../src/wire.ts";
import { shapesSpec, widgetSpec } from "./spec.ts";

const document = widgetSpec();
const cases = contractCases(document, { apiKey: "k", randomBodies: 50, seed: 7, maxCasesPerOperation: 1000 });
const update = cases.filter((kase) => kase.operationId === "updateWidget");
const named = (name: string, from = update) => from.find((kase) => kase.name === name)!;
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body,
  headers: new Headers({ "content-type": "application/json", ...headers }),
});
const shapes = shapesSpec();
const shapeCases = contractCases(shapes, { apiKey: "k", maxCasesPerOperation: 1000 });
const ofOperation = (id: string, from = shapeCases) => from.filter((kase) => kase.operationId === id);

describe("contract cases: valid requests", () => {
  it("sends the example call to the example path, encoded, with the key as the scheme says", () => {
    expect(named("the example call").request).toEqual({
      method: "PATCH",
      path: "/widgets/w%201",
      headers: { "content-type": "application/json", authorization: "Bearer k" },
      body: { mediaType: "application/json", value: { name: "abc" } },
    });
  });

  it("fills every parameter location from the spec's examples or its schemas, never a parameter's name", () => {
    const [call, optional] = ofOperation("listThings").filter((kase) => kase.group === "valid requests");
    expect(call!.request).toMatchObject({
      method: "GET",
      path: "/things/3fa85f64-5717-4562-b3fc-2c963f66afa6?limit=10&tags=a&tags=b",
      headers: { "x-trace": "1", cookie: "session=s1", authorization: "Basic Y29udHJhY3QtdXNlcjpr" },
    });
    expect(call!.request.body).toBeUndefined();
    expect(optional!.name).toBe("every optional query parameter (sort)");
    expect(optional!.request.path).toBe("/things/3fa85f64-5717-4562-b3fc-2c963f66afa6?limit=10&tags=a&tags=b&sort=asc");
    expect([call!.verdict, optional!.verdict]).toEqual(["accepted", "accepted"]);
  });

  it("sends each alternative of the security, each scheme where it goes", () => {
    const alternatives = ofOperation("listThings").filter((kase) => kase.name.startsWith("credentials: "));
    expect(
      alternatives.map((kase) => [kase.name, kase.request.path.split("?")[1], kase.request.headers.cookie]),
    ).toEqual([
      ["credentials: Key", "limit=10&tags=a&tags=b&key=k", "session=s1"],
      ["credentials: Session", "limit=10&tags=a&tags=b", "session=s1; sid=k"],
    ]);
  });

  it("sends no body on a GET the spec gives none, and a documented body's other examples", () => {
    expect(ofOperation("listThings").every((kase) => kase.request.body === undefined)).toBe(true);
    expect(named("request example rename2").request.body).toEqual({
      mediaType: "application/json",
      value: { name: "xyz" },
    });
  });

  it("sends no query value its style cannot write (a list of objects), and the other optional ones", () => {
    // Box's search: `mdfilters`, a list of objects, which neither OpenAPI's form style nor the client writes.
    const search = {
      openapi: "3.0.3",
      info: { title: "Search", version: "1.0.0" },
      paths: {
        "/search": {
          get: {
            operationId: "search",
            parameters: [
              { name: "q", in: "query", schema: { type: "string" }, example: "contract" },
              {
                name: "mdfilters",
                in: "query",
                schema: {
                  type: "array",
                  maxItems: 1,
                  items: { type: "object", properties: { scope: { type: "string" } } },
                },
                example: [{ scope: "global" }],
              },
            ],
            responses: { "200": { description: "ok" } },
          },
        },
      },
    } as unknown as OpenAPI3;
    const searched = contractCases(search, { maxCasesPerOperation: 1000 });
    expect(searched.map((kase) => kase.request.path).filter((path) => path.includes("mdfilters"))).toEqual([]);
    expect(searched.find((kase) => kase.name.startsWith("every optional query"))).toMatchObject({
      name: "every optional query parameter (q)",
      request: { path: "/search?q=contract" },
    });
  });

  it("expects no 2xx of an operation that documents only a 401", () => {
    expect(ofOperation("onlyUnauthorized").filter((kase) => kase.group === "valid requests")).toMatchObject([
      { name: "the example call", verdict: "answered", documented: true },
    ]);
  });
});

describe("contract cases: parameters", () => {
  const parameters = ofOperation("listThings").filter((kase) => kase.group === "parameters");
  const verdicts = Object.fromEntries(parameters.map((kase) => [kase.name, kase.verdict]));

  it("probes every constraint of every location on both sides, each value as it travels", () => {
    expect(verdicts).toMatchObject({
      'path thing format uuid: "not-a-uuid"': "rejected",
      "query limit required: missing": "rejected",
      'query limit type integer: "not-a-value"': "rejected",
      "query limit minimum 1: 1": "accepted",
      "query limit minimum 1: 0": "rejected",
      "query limit maximum 100: 100": "accepted",
      "query limit maximum 100: 101": "rejected",
      "query tags maxItems 3: 3 items": "accepted",
      "query tags maxItems 3: 4 items": "rejected",
      'query tags items enum: "not-in-the-enum"': "rejected",
      'query sort enum: "not-in-the-enum"': "rejected",
      'header x-trace pattern ^[0-9]+$: ""': "rejected",
      "cookie session required: missing": "rejected",
    });
    expect(named("query limit maximum 100: 101", parameters).request.path).toContain("?limit=101&");
    expect(named("query limit required: missing", parameters).request.path).not.toContain("limit=");
    expect(named('path thing format uuid: "not-a-uuid"', parameters).request.path).toMatch(/^\/things\/not-a-uuid\?/);
    expect(named("cookie session required: missing", parameters).request.headers.cookie).toBeUndefined();
  });

  it("sends no empty list, which travels as the parameter's absence (an optional one's is valid)", () => {
    const tagged = {
      openapi: "3.0.3",
      info: { title: "Tags", version: "1.0.0" },
      paths: {
        "/things": {
          get: {
            operationId: "listThings",
            parameters: [
              { name: "tags", in: "query", schema: { type: "array", minItems: 1, items: { type: "string" } } },
            ],
            responses: { "200": { description: "ok" }, "400": { description: "bad" } },
          },
        },
      },
    } as unknown as OpenAPI3;
    const names = contractCases(tagged, { maxCasesPerOperation: 1000 })
      .filter((kase) => kase.group === "parameters")
      .map((kase) => kase.name);
    expect(names).toContain("query tags minItems 1: 1 items");
    expect(names).not.toContain("query tags minItems 1: 0 items");
  });

  it("expects the documented 400 where the operation documents one, else the mock's undocumented mark", () => {
    expect(named("query limit maximum 100: 101", parameters).documented).toBe(true);
    const undocumented = ofOperation("onlyUnauthorized").find((kase) => kase.group === "credentials");
    expect(undocumented).toMatchObject({ verdict: "unauthenticated", documented: true });
    expect(named("PUT /things/{thing} (undocumented)", shapeCases)).toMatchObject({
      documented: false,
      allow: ["GET"],
    });
  });
});

describe("contract cases: credentials, answers, retries, methods", () => {
  it("asks for 401 without credentials, and for a bearer token after another scheme word or none", () => {
    const credentials = cases.filter((kase) => kase.group === "credentials" && kase.operationId === "updateWidget");
    expect(credentials.map((kase) => [kase.name, kase.request.headers.authorization, kase.verdict])).toEqual([
      ["no credentials", undefined, "unauthenticated"],
      ["a credential after another scheme word (Basic)", "Basic contract-wrong-credential", "unauthenticated"],
      ["a credential without its scheme word (Bearer)", "contract-wrong-credential", "unauthenticated"],
    ]);
  });

  it("asks only for a missing API key, which is all a mock can refuse, and nothing where security is optional", () => {
    const apiKey = contractCases(widgetSpec({ type: "apiKey", in: "header", name: "x-api-key" }), { randomBodies: 0 });
    expect(
      apiKey
        .filter((kase) => kase.group === "credentials" && kase.operationId === "updateWidget")
        .map((kase) => kase.name),
    ).toEqual(["no credentials"]);
    expect(ofOperation("optionalAuth").filter((kase) => kase.group === "credentials")).toEqual([]);
    expect(ofOperation("optionalAuth").map((kase) => kase.name)).toContain("no credentials (security optional)");
  });

  it("asks the mock for each documented status and named example with Prefer, in the media type a client asks for", () => {
    const answers = cases.filter((kase) => kase.group === "responses" && kase.operationId === "updateWidget");
    expect(answers.map((kase) => [kase.name, kase.request.headers.prefer, kase.answer])).toEqual([
      ["200 (application/json)", "code=200", { status: 200, mediaType: "application/json" }],
      [
        "400 tooLong (application/json)",
        "code=400, example=tooLong",
        expect.objectContaining({ value: { message: "name is too long" } }),
      ],
      ["401 (application/json)", "code=401", { status: 401, mediaType: "application/json" }],
    ]);
    expect(ofOperation("thingImage").filter((kase) => kase.group === "responses")).toMatchObject([
      {
        name: "200 (image/png)",
        answer: { status: 200, mediaType: "image/png" },
        request: { headers: { accept: "image/png" } },
      },
      { name: "204 (no body)", answer: { status: 204 } },
    ]);
  });

  it("expects the generated client's retry rule: x-idempotent, else the method's HTTP semantics", () => {
    const rules = Object.fromEntries(
      shapeCases.filter((kase) => kase.group === "retries").map((kase) => [kase.operationId, kase.retry?.retried]),
    );
    expect(rules).toEqual({ listThings: true, thingImage: false, onlyUnauthorized: false, optionalAuth: true });
  });

  it("asks for 405 naming the documented methods for every undocumented one, once per path", () => {
    const methods = cases.filter((kase) => kase.group === "methods");
    expect(methods.map((kase) => kase.request.method)).toEqual(["PUT", "POST", "DELETE"]);
    expect(methods.every((kase) => kase.verdict === "method not allowed" && kase.allow?.join() === "GET,PATCH")).toBe(
      true,
    );
  });
});

describe("contract cases: request bodies, the cap and the seed", () => {
  it("rejects the four wrong root bodies", () => {
    expect(["null", "0", "false", "[]"].map((body) => named(`body ${body} as the whole body`).verdict)).toEqual(
      Array(4).fill("rejected"),
    );
  });

  it("varies a JSON body only", () => {
    const multipart = widgetSpec();
    const operation = operationsOf(multipart).find(({ id }) => id === "updateWidget");
    const requestBody = operation!.object.requestBody as { content: object };
    requestBody.content = { "multipart/form-data": Object.values(requestBody.content)[0] };
    const groups = contractCases(multipart, { randomBodies: 5 }).map((kase) => kase.group);
    expect(groups).toContain("credentials");
    expect(groups).not.toContain("request body");
  });

  it("draws random bodies the schema accepts, the same ones for the same seed", () => {
    const random = cases.filter((kase) => kase.group === "random valid bodies");
    expect(random.length).toBeGreaterThan(10);
    const validate = specValidator(document);
    for (const kase of random)
      expect(validate("/components/schemas/WidgetUpdate", kase.request.body?.value)).toEqual([]);
    const again = contractCases(document, { apiKey: "k", randomBodies: 50, seed: 7, maxCasesPerOperation: 1000 });
    expect(again.filter((kase) => kase.group === "random valid bodies")).toEqual(random);
    const otherSeed = contractCases(document, { apiKey: "k", randomBodies: 50, seed: 8, maxCasesPerOperation: 1000 });
    expect(otherSeed.filter((kase) => kase.group === "random valid bodies")).not.toEqual(random);
  });

  it("caps each operation's cases, keeps every group that is not sampled, and probes each constraint before any twice", () => {
    const capped = contractCases(document, { apiKey: "k", randomBodies: 50, seed: 7, maxCasesPerOperation: 20 });
    const update = capped.filter((kase) => kase.operationId === "updateWidget");
    expect(update).toHaveLength(20);
    const all = cases.filter((kase) => kase.operationId === "updateWidget");
    const kept = ["valid requests", "credentials", "responses", "retries", "methods"];
    expect(update.filter((kase) => kept.includes(kase.group))).toEqual(all.filter((kase) => kept.includes(kase.group)));
    const probed = update.filter((kase) => kase.group === "request body").map((kase) => kase.name.split(":")[0]);
    expect(new Set(probed).size).toBe(probed.length);
    expect(contractCases(document, { apiKey: "k", randomBodies: 50, seed: 7, maxCasesPerOperation: 20 })).toEqual(
      capped,
    );
    expect(contractCases(document, { apiKey: "k", randomBodies: 50, seed: 9, maxCasesPerOperation: 20 })).not.toEqual(
      capped,
    );
  });

  it("keeps one operation's sample when another operation is added", () => {
    const more = widgetSpec();
    (more.paths as Record<string, unknown>)["/gadgets"] = {
      get: { operationId: "listGadgets", responses: { "200": { description: "ok" } } },
    };
    const update = (from: OpenAPI3) =>
      contractCases(from, { apiKey: "k", maxCasesPerOperation: 20 }).filter(
        (kase) => kase.operationId === "updateWidget",
      );
    expect(update(more)).toEqual(update(document));
  });
});

describe("a vendor's example that breaks its own schema", () => {
  // Plaid's /signal/evaluate: its 200 example leaves out the required `risk_tier`, and the mocks serve it.
  const scored = {
    openapi: "3.0.3",
    info: { title: "Scores", version: "1.0.0" },
    paths: {
      "/scores": {
        get: {
          operationId: "getScore",
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": {
                  schema: { type: "object", required: ["score", "tier"], properties: { score: { type: "integer" } } },
                  examples: { scored: { value: { score: 9 } } },
                },
              },
            },
          },
        },
      },
    },
  } as unknown as OpenAPI3;
  const scoredCases = contractCases(scored, { maxCasesPerOperation: 1000 });

  it("makes its documented answer a case skipped as the spec's own defect, saying why", () => {
    expect(scoredCases.find((kase) => kase.group === "responses")?.specDefect).toBe(
      "the example scored breaks its schema (/ must have required property 'tier')",
    );
  });

  it("is no problem of an answer that serves it as written, and one that breaks the schema otherwise is", () => {
    const call = scoredCases.find((kase) => kase.name === "the example call")!;
    expect(responseProblems(scored, call, response(200, { score: 9 }))).toEqual([]);
    expect(responseProblems(scored, call, response(200, { score: "9" }))).toEqual([
      `the 200 body breaks its schema (/ must have required property 'tier'; /score must be integer): {"score":"9"}`,
    ]);
  });
});

describe("responseProblems", () => {
  const accepted: ContractCase = named("name maxLength 3: 3 characters");
  const rejected: ContractCase = named("name maxLength 3: 4 characters");
  const method = cases.find((kase) => kase.group === "methods")!;
  const undocumented = { [undocumentedHeader]: "405", allow: "GET, PATCH" };

  it("passes a documented status with a body valid for it, and an undocumented one the mock marks", () => {
    expect(responseProblems(document, accepted, response(200, { name: "aaa" }))).toEqual([]);
    expect(responseProblems(document, rejected, response(400, { message: "too long" }))).toEqual([]);
    expect(responseProblems(document, method, response(405, {}, undocumented))).toEqual([]);
  });

  it("names a status other than the verdict's", () => {
    expect(responseProblems(document, rejected, response(200, { name: "aaaa" }))).toEqual([
      'expected 400 or 422 (rejected), got 200: {"name":"aaaa"}',
    ]);
  });

  it("names an undocumented status, a body that breaks its schema and a media type the spec does not document", () => {
    expect(responseProblems(document, rejected, response(422, { message: "x" }))).toEqual([
      "status 422 is not documented for updateWidget",
    ]);
    expect(responseProblems(document, rejected, response(400, { error: "x" }))).toEqual([
      `the 400 body breaks its schema (/ must have required property 'message'): {"error":"x"}`,
    ]);
    expect(responseProblems(document, rejected, response(400, "<p>bad</p>", { "content-type": "text/html" }))).toEqual([
      "the 400 answer is text/html; the spec documents application/json",
    ]);
  });

  it("names a missing undocumented mark and a missing or wrong Allow header", () => {
    expect(responseProblems(document, method, response(405, {}, { allow: "GET, PATCH" }))).toEqual([
      "getWidget documents no answer for this (method not allowed): expected the mock's x-contracts-undocumented: 405, got none",
    ]);
    // A server that marks nothing (the MSW handlers) is held to the status alone.
    expect(
      responseProblems(document, method, response(405, {}, { allow: "GET, PATCH" }), { marksUndocumented: false }),
    ).toEqual([]);
    expect(
      responseProblems(document, method, response(405, {}, { [undocumentedHeader]: "405", allow: "PATCH" })),
    ).toEqual(["expected Allow: GET, PATCH, got PATCH"]);
  });

  it("holds a forced answer to its status and example", () => {
    const tooLong = named("400 tooLong (application/json)");
    expect(responseProblems(document, tooLong, response(400, { message: "name is too long" }))).toEqual([]);
    expect(responseProblems(document, tooLong, response(401, { message: "name is too long" }))).toEqual([
      'expected 400 (answered), got 401: {"message":"name is too long"}',
    ]);
    expect(responseProblems(document, tooLong, response(400, { message: "other" }))).toEqual([
      'expected the example tooLong {"message":"name is too long"}, got {"message":"other"}',
    ]);
  });
});

/** An operation whose examples break their own schemas, and whose body no value fits (both branches take any object). */
const mistaken = {
  openapi: "3.1.0",
  info: { title: "Mistaken", version: "1.0.0" },
  paths: {
    "/orders": {
      post: {
        operationId: "createOrder",
        parameters: [
          { name: "limit", in: "query", required: true, schema: { type: "integer", minimum: 1 }, example: "ten" },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { type: "object", required: ["quantity"], properties: { quantity: { type: "integer" } } },
              example: { quantity: null },
            },
          },
        },
        responses: { "201": { description: "Created" }, "400": { description: "Invalid" } },
      },
    },
    "/pets": {
      patch: {
        operationId: "updatePet",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { oneOf: [{ type: "object" }, { type: "object" }] } } },
        },
        responses: { "200": { description: "Updated" }, "400": { description: "Invalid" } },
      },
    },
  },
} as unknown as OpenAPI3;

describe("the example call of a spec whose examples break its schemas", () => {
  const derived = contractCases(mistaken, { maxCasesPerOperation: 1000 });
  const validate = specValidator(mistaken, "request");

  it("sends a seeded parameter value and body that fit where the spec's examples do not", () => {
    const call = derived.find((kase) => kase.operationId === "createOrder" && kase.name === "the example call")!;
    const limit = Number(new URL(call.request.path, "http://x").searchParams.get("limit"));
    expect(Number.isInteger(limit) && limit >= 1).toBe(true);
    const body = call.request.body!.value;
    expect(validate("/paths/~1orders/post/requestBody/content/application~1json/schema", body)).toEqual([]);
    expect(call.verdict).toBe("accepted");
  });

  it("expects a request refused, and says why, where no body its schema takes was found", () => {
    const call = derived.find((kase) => kase.operationId === "updatePet" && kase.name.startsWith("the example call"))!;
    expect(call).toMatchObject({
      name: "the example call (no body its schema accepts was found)",
      verdict: "rejected",
    });
  });

  // DigitalOcean's droplet actions: the mocks refused the body before the documented answer was given.
  it("marks a documented answer the spec's defect where no body its schema takes was found, saying why", () => {
    const answers = derived.filter((kase) => kase.operationId === "updatePet" && kase.group === "responses");
    expect(answers.map((kase) => kase.specDefect)).toEqual([
      expect.stringMatching(/^no request body its schema accepts was found/),
      expect.stringMatching(/^no request body its schema accepts was found/),
    ]);
    const fitting = derived.filter((kase) => kase.operationId === "createOrder" && kase.group === "responses");
    expect(fitting.map((kase) => kase.specDefect)).toEqual([undefined, undefined]);
  });
});

describe("fittingRequestBody", () => {
  // DigitalOcean's apps_create: its request example sends `spec.vpc`, which its schema marks read-only.
  const apps = {
    openapi: "3.0.3",
    info: { title: "Apps", version: "1.0.0" },
    paths: {
      "/apps": {
        post: {
          operationId: "createApp",
          requestBody: {
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["name"],
                  properties: { name: { type: "string" }, vpc: { type: "object", readOnly: true } },
                },
              },
            },
          },
          responses: { "200": { description: "ok" } },
        },
      },
    },
  } as unknown as OpenAPI3;
  const operation = operationsOf(apps)[0]!;
  const validate = specValidator(apps, "request");
  const schema = "/paths/~1apps/post/requestBody/content/application~1json/schema";

  it("keeps a body its schema takes as a request, and makes one up that fits in place of one it refuses", () => {
    expect(fittingRequestBody(apps, operation, "application/json", { name: "web" }, validate)).toEqual({
      value: { name: "web" },
      fits: true,
    });
    const fitted = fittingRequestBody(apps, operation, "application/json", { name: "web", vpc: {} }, validate);
    expect(fitted.fits).toBe(true);
    expect(validate(schema, fitted.value)).toEqual([]);
  });
});

const pathParameter = (name: string) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string" },
  example: "a1",
});
const ok = { "200": { description: "ok" } };

describe("shapes of a large published spec (GitHub's)", () => {
  const spec = {
    openapi: "3.1.0",
    info: { title: "Shapes", version: "1.0.0" },
    paths: {
      // Two templates that take the same requests: their variables' names are not sent.
      "/attestations/{attestation_id}": {
        delete: { operationId: "deleteAttestation", parameters: [pathParameter("attestation_id")], responses: ok },
      },
      "/attestations/{subject_digest}": {
        get: { operationId: "listAttestations", parameters: [pathParameter("subject_digest")], responses: ok },
      },
      "/advisories": {
        get: {
          operationId: "listAdvisories",
          parameters: [
            {
              name: "affects",
              in: "query",
              schema: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
              example: "lodash",
            },
          ],
          responses: ok,
        },
      },
      "/contents": {
        put: {
          operationId: "putContents",
          responses: {
            "201": { description: "created" },
            "409": {
              description: "conflict",
              content: {
                "application/json": {
                  schema: {
                    oneOf: [
                      { type: "object", properties: { message: { type: "string" } } },
                      { type: "object", properties: { errors: { type: "array" } } },
                    ],
                  },
                },
              },
            },
          },
        },
      },
      "/import": {
        patch: {
          operationId: "updateImport",
          requestBody: {
            content: {
              "application/json": {
                schema: { type: "object", properties: { vcs: { type: "string" } } },
                examples: { first: { value: { vcs: "git" } }, restart: { summary: "Restarting an import" } },
              },
            },
          },
          responses: ok,
        },
      },
    },
  } as unknown as OpenAPI3;
  const specCases = contractCases(spec, { maxCasesPerOperation: 1000 });

  it("probes undocumented methods once for templates that take the same requests, allowing the methods of both", () => {
    const probes = specCases.filter((kase) => kase.group === "methods" && kase.name.includes("/attestations/"));
    expect(new Set(probes.map((kase) => kase.operationId))).toEqual(new Set(["deleteAttestation"]));
    expect(probes.map((kase) => kase.request.method)).not.toContain("GET");
    expect(probes.every((kase) => kase.allow?.join() === "DELETE,GET")).toBe(true);
  });

  it("takes a query value one `oneOf` branch takes as it is, though a list reading would match two", () => {
    const optional = ofOperation("listAdvisories", specCases).find((kase) => kase.name.startsWith("every optional"));
    expect(optional?.request.path).toBe("/advisories?affects=lodash");
    expect(optional?.verdict).toBe("accepted");
  });

  it("marks a documented answer no body fits as the spec's defect: every object matches both branches of its oneOf", () => {
    const conflict = ofOperation("putContents", specCases).find((kase) => kase.name.startsWith("409"));
    expect(conflict?.specDefect).toMatch(/^no body fits its schema \(.*oneOf/);
    expect(
      ofOperation("putContents", specCases).find((kase) => kase.name.startsWith("201"))?.specDefect,
    ).toBeUndefined();
  });

  it("makes no request of a named example that has no value", () => {
    const examples = ofOperation("updateImport", specCases).filter((kase) => kase.name.startsWith("request example"));
    expect(examples).toEqual([]);
  });
});

describe("an operation that answers a valid request with a redirect (a download's 302)", () => {
  const downloads = {
    openapi: "3.1.0",
    info: { title: "Downloads", version: "1.0.0" },
    paths: {
      "/logs": {
        get: {
          operationId: "downloadLogs",
          responses: { "302": { description: "found", headers: { Location: { schema: { type: "string" } } } } },
        },
      },
    },
  } as unknown as OpenAPI3;
  const [call] = contractCases(downloads).filter((kase) => kase.group === "valid requests");

  it("is sent without following it, and its answer accepted: where it leads may be off loopback", async () => {
    // Where the redirect leads nothing listens: a followed redirect would fail the request.
    const server = createServer((_request, answer) => answer.writeHead(302, { location: "http://127.0.0.1:1/" }).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answered = await sendCase(`http://127.0.0.1:${port}`, call!);
      expect(answered.status).toBe(302);
      expect(responseProblems(downloads, call!, answered)).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe("a form field its encoding styles with `explode` alone", () => {
  const forms = {
    openapi: "3.1.0",
    info: { title: "Forms", version: "1.0.0" },
    paths: {
      "/tags": {
        post: {
          operationId: "tag",
          requestBody: {
            content: {
              "application/x-www-form-urlencoded": {
                schema: { type: "object", properties: { tags: { type: "array", items: { type: "string" } } } },
                example: { tags: ["a", "b"] },
                encoding: { tags: { explode: false } },
              },
            },
          },
          responses: { "204": { description: "tagged" } },
        },
      },
    },
  } as unknown as OpenAPI3;

  it("is written in that style, as the client writes it (`explode: false`: one comma-separated field)", () => {
    const [call] = contractCases(forms).filter((kase) => kase.name === "the example call");
    expect(String(bodyInit(call!.request.body!))).toBe("tags=a,b");
  });
});
