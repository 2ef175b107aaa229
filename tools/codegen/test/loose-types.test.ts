// Shapes where openapi-typescript's type of a body is looser, or other, than its JSON Schema (as
// GitHub's spec writes them): the generated type tests must expect what the client's type holds,
// so the package compiles. Each shape is an operation of one inline spec, generated as a user would.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { clientPackageDir } from "../src/index.ts";
import { removeScratchRepos, scratchRepo } from "./scratch.ts";
import { tsFilesOf, typecheckGenerated } from "./typecheck.ts";

const json = (schema: object, example?: unknown) => ({
  content: { "application/json": { schema, ...(example !== undefined && { example }) } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const spec = {
  openapi: "3.1.0",
  info: { title: "Loose", version: "1.0.0" },
  servers: [{ url: "https://api.example.com" }],
  paths: {
    "/patterns": {
      // A branch that names no type: openapi-typescript types the body `{ ... } | unknown`.
      post: {
        operationId: "updatePattern",
        requestBody: json(
          {
            type: "object",
            required: ["version"],
            properties: { pattern: { type: "string" }, version: { type: "string" } },
            anyOf: [{ required: ["pattern"] }, { required: ["version"] }],
          },
          { pattern: "secret_[0-9]+", version: "v1" },
        ),
        responses: { "200": { description: "updated", ...json(ref("Error"), { message: "ok" }) } },
      },
    },
    "/runs": {
      // Branches open to any key: an unknown key, or a named one of another type, fits one of them.
      post: {
        operationId: "updateRun",
        requestBody: json(
          {
            type: "object",
            properties: { name: { type: "string" }, status: { type: "string" } },
            anyOf: [
              { properties: { status: { enum: ["done"] } }, additionalProperties: true },
              { properties: { status: { enum: ["queued"] } }, additionalProperties: true },
            ],
          },
          { name: "lint", status: "done" },
        ),
        responses: { "204": { description: "updated" } },
      },
    },
    "/suites": {
      // JSON Schema takes null where no `type` refuses it; openapi-typescript's object type does not.
      post: {
        operationId: "enableSuite",
        requestBody: {
          required: false,
          content: {
            "application/json": {
              schema: { properties: { suite: { type: "string", enum: ["default", "extended"] } } },
              examples: { default: { value: null } },
            },
          },
        },
        responses: { "204": { description: "enabled" } },
      },
    },
    "/threads/{id}": {
      // 205 is not among the statuses the client types as data (openapi-typescript-helpers' OkStatus).
      patch: {
        operationId: "markThreadRead",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer" } }],
        responses: {
          "205": { description: "read" },
          "403": { description: "forbidden", ...json(ref("Error"), { message: "no" }) },
        },
      },
    },
    "/users": {
      // One status, two JSON media types: the client types its error by both.
      get: {
        operationId: "listUsers",
        responses: {
          "200": { description: "users", ...json({ type: "array", items: { type: "string" } }, ["ada"]) },
          "400": {
            description: "refused",
            content: {
              "application/json": { schema: ref("Error"), example: { message: "bad" } },
              "application/scim+json": { schema: ref("ScimError"), example: { detail: "bad" } },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Error: { type: "object", properties: { message: { type: "string" } } },
      ScimError: { type: "object", properties: { detail: { type: "string" } } },
    },
  },
};

let root: string;
let registry: string;
beforeAll(async () => {
  registry = await mkdtemp(path.join(tmpdir(), "codegen-loose-"));
  await mkdir(path.join(registry, "specs"));
  await writeFile(path.join(registry, "specs", "loose.yaml"), stringify(spec));
  await writeFile(
    path.join(registry, "redocly.yaml"),
    "apis:\n  loose:\n    root: specs/loose.yaml\n    extends: [recommended]\n    rules:\n      security-defined: off\n      operation-4xx-response: off\n      operation-summary: off\n",
  );
  root = await scratchRepo(registry);
});
afterAll(async () => {
  await removeScratchRepos();
  await rm(registry, { recursive: true, force: true });
});

describe("a package whose body types are looser than their schemas", () => {
  it("compiles: its type tests expect what the client's types hold, and try no misuse that compiles", async () => {
    expect(typecheckGenerated(root, await tsFilesOf(clientPackageDir({ id: "loose", root })))).toEqual([]);
  });
});
