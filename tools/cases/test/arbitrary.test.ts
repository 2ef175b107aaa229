import { specValidator } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { fittingSample, sampleValues } from "../src/arbitrary.ts";

/** A tree: each node has children and a parent of its own kind, and a wide record of nodes; a `oneOf` that names itself. */
const recursive = {
  openapi: "3.1.0",
  info: { title: "Trees", version: "1.0.0" },
  paths: {},
  components: {
    schemas: {
      Node: {
        type: "object",
        required: ["name"],
        properties: {
          name: { type: "string" },
          parent: { $ref: "#/components/schemas/Node" },
          children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
          ...Object.fromEntries(
            ["a", "b", "c", "d", "e", "f", "g", "h"].map((key) => [key, { $ref: "#/components/schemas/Node" }]),
          ),
        },
      },
      Expression: { oneOf: [{ type: "integer" }, { $ref: "#/components/schemas/Expression" }] },
    },
  },
} as unknown as OpenAPI3;

describe("values of a recursive schema", () => {
  // A schema that refers to itself was built forever (a stack overflow in generate and verify).
  it("samples a tree that refers to itself, each value nested a few levels and valid", () => {
    const validate = specValidator(recursive);
    const schema = { $ref: "#/components/schemas/Node" };
    const values = sampleValues(recursive, schema, 20, 42);
    expect(values).toHaveLength(20);
    const valid = values.filter((value) => validate("/components/schemas/Node", value).length === 0);
    expect(valid.length).toBeGreaterThan(0);
    expect(
      fittingSample(recursive, schema, (value) => validate("/components/schemas/Node", value).length === 0),
    ).toEqual(expect.objectContaining({ name: expect.any(String) }));
  });

  it("samples a oneOf that names itself", () => {
    const values = sampleValues(recursive, { $ref: "#/components/schemas/Expression" }, 10, 42);
    expect(values.some((value) => Number.isInteger(value))).toBe(true);
  });
});

describe("values of an allOf", () => {
  // The last member's `properties` hid the first one's: every sample lacked `name`.
  it("take the properties and required properties of every member", () => {
    const pet = {
      allOf: [
        { type: "object", required: ["name"], properties: { name: { type: "string" } } },
        { type: "object", required: ["id"], properties: { id: { type: "integer" } } },
      ],
    };
    for (const value of sampleValues(recursive, pet, 10, 42))
      expect(value).toEqual({ name: expect.any(String), id: expect.any(Number) });
  });
});

describe("a body made up to fit", () => {
  const document = { openapi: "3.1.0", info: { title: "Lists", version: "1" }, paths: {} } as OpenAPI3;

  // Discord's lists are `type: [array, "null"]`: answered null, a mock tells its user nothing of the items.
  it("is not null where a value other than null fits", () => {
    const list = { type: ["array", "null"], items: { type: "integer" } };
    const made = fittingSample(document, list, (value) => value === null || Array.isArray(value));
    expect(Array.isArray(made)).toBe(true);
  });

  it("is null where null alone fits", () => {
    expect(fittingSample(document, { type: ["array", "null"] }, (value) => value === null)).toBeNull();
    expect(fittingSample(document, { type: "string" }, () => false)).toBeUndefined();
  });
});

describe("values of a map", () => {
  it("are objects as JSON.parse makes them, keyed by no name of Object's members, which Ajv's deep equality can compare", () => {
    // Box's metadata lists: `uniqueItems` of maps, where a null prototype or a `valueOf` key made Ajv throw.
    const maps = {
      openapi: "3.1.0",
      info: { title: "Maps", version: "1.0.0" },
      paths: {},
      components: {
        schemas: {
          Entries: {
            type: "array",
            uniqueItems: true,
            items: { type: "object", additionalProperties: { type: "integer" } },
          },
        },
      },
    } as unknown as OpenAPI3;
    const lists = sampleValues(maps, { $ref: "#/components/schemas/Entries" }, 500, 1) as Record<string, number>[][];
    const objects = lists.flat();
    expect(objects.length).toBeGreaterThan(100);
    expect(objects.filter((object) => Object.getPrototypeOf(object) !== Object.prototype)).toEqual([]);
    expect(objects.flatMap(Object.keys).filter((key) => key in Object.prototype)).toEqual([]);
    const validate = specValidator(maps);
    for (const list of lists) expect(validate("/components/schemas/Entries", list)).toEqual([]);
  });
});

/** A spec of the one schema `Value`: whether a value fits it, and the first seeded sample that does. */
function oneSchema(schema: object) {
  const document = {
    openapi: "3.1.0",
    info: { title: "One schema", version: "1.0.0" },
    paths: {},
    components: { schemas: { Value: schema } },
  } as unknown as OpenAPI3;
  const validate = specValidator(document);
  const fits = (value: unknown) => validate("/components/schemas/Value", value).length === 0;
  return { fits, fitted: () => fittingSample(document, { $ref: "#/components/schemas/Value" }, fits) };
}

describe("values of a string format", () => {
  const checked = [
    ...["uri", "url", "uri-reference", "uuid", "email", "hostname", "ipv4", "ipv6", "byte"],
    ...["date-time", "iso-date-time", "date", "time", "iso-time", "duration", "json-pointer"],
  ];
  it.each(checked)("%s: a value Ajv's format check accepts", (format) => {
    const { fits, fitted } = oneSchema({ type: "string", format });
    expect(fits("not a value of any of these formats ^")).toBe(false);
    expect(fitted()).toBeTypeOf("string");
  });
});

describe("values of a length bound", () => {
  const fitted = (schema: object) => oneSchema(schema).fitted();

  it("reach a minimum above the usual maximum (fast-check threw on a minLength of 50 without maxLength)", () => {
    expect(fitted({ type: "string", minLength: 50 })).toBeTypeOf("string");
    expect(fitted({ type: "array", minItems: 6, items: { type: "integer" } })).toHaveLength(6);
  });

  it("find none, without throwing, where the maximum is below the minimum", () => {
    expect(fitted({ type: "string", minLength: 3, maxLength: 2 })).toBeUndefined();
    expect(fitted({ type: "array", minItems: 3, maxItems: 2 })).toBeUndefined();
  });
});
