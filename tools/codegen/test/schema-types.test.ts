import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { emitSchemaTypes } from "../src/emit/schema.ts";

/** A discriminated union whose branches fix the property's value, with no mapping: as OpenAI's chat messages are written. */
const messages = (mapping?: Record<string, string>): OpenAPI3 => ({
  openapi: "3.1.0",
  info: { title: "Messages", version: "1" },
  paths: {},
  components: {
    schemas: {
      Message: {
        type: "object",
        oneOf: [{ $ref: "#/components/schemas/UserMessage" }, { $ref: "#/components/schemas/BotMessage" }],
        discriminator: { propertyName: "role", ...(mapping && { mapping }) },
      },
      UserMessage: {
        type: "object",
        required: ["role"],
        properties: { role: { type: "string", enum: ["user"] }, text: { type: "string" } },
      },
      BotMessage: {
        type: "object",
        allOf: [{ type: "object", required: ["role"], properties: { role: { type: "string", const: "bot" } } }],
      },
    },
  },
});

const typesOf = (document: OpenAPI3) =>
  emitSchemaTypes({ specFile: "messages.yaml", document, readWriteMarkers: false });

describe("the schema types", () => {
  it("type a discriminated branch's property as the value the branch fixes, not the branch's schema name", async () => {
    const types = await typesOf(messages());
    expect(types).toMatch(/role: "user"/);
    expect(types).toMatch(/role: "bot"/);
    expect(types).not.toMatch(/role: "(UserMessage|BotMessage)"/);
  });

  it("keep the spec's own mapping where it gives one", async () => {
    const types = await typesOf(messages({ human: "#/components/schemas/UserMessage" }));
    expect(types).toMatch(/role: "human"/);
    expect(types).toMatch(/role: "bot"/);
  });

  // Discord's join-request `action`: the validators and mocks leave `enum: []` out (with a warning).
  it("type a property whose `enum` is empty by its type, as the validators read it", async () => {
    const document = messages();
    const user = document.components!.schemas!.UserMessage as { properties: Record<string, object> };
    user.properties.action = { type: "string", enum: [] };
    expect(await typesOf(document)).toMatch(/action\?: string;/);
  });

  // OpenAI's comparison filters: one branch for the operators eq, ne, gt, ...
  it("type a discriminated branch that allows several values by those values", async () => {
    const document = messages();
    const schemas = document.components!.schemas!;
    (schemas.Message as { oneOf: object[] }).oneOf.push({ $ref: "#/components/schemas/StaffMessage" });
    schemas.StaffMessage = {
      type: "object",
      required: ["role"],
      properties: { role: { type: "string", enum: ["system", "developer"] } },
    };
    const types = await typesOf(document);
    expect(types).toMatch(/role: "system" \| "developer"/);
    expect(types).not.toMatch(/role: "StaffMessage"/);
  });

  // Mistral's AudioTranscriptionRequest: `$defs` copies of schemas the spec refers to under components.
  it("type no property named $defs where a schema's $defs is not referred to", async () => {
    const document = messages();
    const user = document.components!.schemas!.UserMessage as Record<string, unknown>;
    user.$defs = { Role: { type: "string", enum: ["user"] } };
    expect(await typesOf(document)).not.toMatch(/\$defs\??:/);
  });

  // Plaid's ExternalPaymentScheduleRequest: `required` beside an `allOf` of a nullable schema.
  it("compile `required` beside an allOf of a nullable schema, the keys required", async () => {
    const document = {
      openapi: "3.0.3",
      info: { title: "Payments", version: "1" },
      paths: {},
      components: {
        schemas: {
          Schedule: {
            type: "object",
            nullable: true,
            properties: { start: { type: "string" }, every: { type: "string" } },
          },
          ScheduleRequest: {
            allOf: [{ $ref: "#/components/schemas/Schedule" }, { type: "object" }],
            required: ["start"],
          },
        },
      },
    } as unknown as OpenAPI3;
    const dir = await mkdtemp(path.join(tmpdir(), "schema-types-"));
    try {
      await writeFile(path.join(dir, "schema.ts"), await typesOf(document));
      const use = path.join(dir, "use.ts");
      await writeFile(
        use,
        `import type { components } from "./schema.ts";
export const full: components["schemas"]["ScheduleRequest"] = { start: "2026-01-01", every: "week" };
// @ts-expect-error start is required
export const partial: components["schemas"]["ScheduleRequest"] = { every: "week" };
`,
      );
      const program = ts.createProgram([use], {
        strict: true,
        noEmit: true,
        types: [],
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
      });
      const errors = ts
        .getPreEmitDiagnostics(program)
        .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      expect(errors).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
