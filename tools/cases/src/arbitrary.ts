import { isObject, type Json, resolveRef } from "@contracts/spec";
import fc from "fast-check";
import type { OpenAPI3 } from "openapi-typescript";

type Schema = Record<string, unknown>;

const formats: Record<string, () => fc.Arbitrary<string>> = {
  uri: () => fc.webUrl(),
  uuid: () => fc.uuid(),
  email: () => fc.emailAddress(),
  "date-time": () =>
    fc
      .date({ min: new Date("1970-01-01"), max: new Date("2999-12-31"), noInvalidDate: true })
      .map((date) => date.toISOString()),
};

const numberOr = (value: unknown) => (typeof value === "number" ? value : undefined);

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  if (typeof schema.format === "string" && formats[schema.format]) return formats[schema.format]!();
  if (typeof schema.pattern === "string") {
    // Lengths in code points, as Ajv counts them.
    const [min, max] = [numberOr(schema.minLength) ?? 0, numberOr(schema.maxLength) ?? Infinity];
    return fc
      .stringMatching(new RegExp(schema.pattern, "u"))
      .filter((text) => [...text].length >= min && [...text].length <= max);
  }
  return fc.string({
    minLength: numberOr(schema.minLength),
    maxLength: numberOr(schema.maxLength) ?? 40,
    unit: "grapheme",
  });
}

/**
 * How deep a value nests: a recursive schema (a tree, a linked list, a `$ref` to itself) would
 * otherwise be built forever. Past `shallowDepth` nested values lists are empty and objects keep
 * only their required properties; past `deepestSchema` schemas followed (nesting, `oneOf`, `allOf`)
 * a value gives up (null, which Ajv's check then drops).
 */
const shallowDepth = 3;
const deepestSchema = 48;

/** Where a schema is met: `depth` values deep, `followed` schemas from the root. */
interface Place {
  depth: number;
  followed: number;
}

function typedArbitrary(document: OpenAPI3, type: string, schema: Schema, place: Place): fc.Arbitrary<Json> {
  const shallow = place.depth >= shallowDepth;
  const nested = { depth: place.depth + 1, followed: place.followed + 1 };
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "string":
      return stringArbitrary(schema);
    case "integer": {
      const min = numberOr(schema.minimum) ?? (numberOr(schema.exclusiveMinimum) ?? -1e6 - 1) + 1;
      const max = numberOr(schema.maximum) ?? (numberOr(schema.exclusiveMaximum) ?? 1e6 + 1) - 1;
      return fc.integer({ min, max });
    }
    case "number":
      return fc.double({
        min: numberOr(schema.minimum) ?? numberOr(schema.exclusiveMinimum) ?? -1e6,
        max: numberOr(schema.maximum) ?? numberOr(schema.exclusiveMaximum) ?? 1e6,
        minExcluded: "exclusiveMinimum" in schema,
        maxExcluded: "exclusiveMaximum" in schema,
        noNaN: true,
      });
    case "array": {
      const minLength = numberOr(schema.minItems);
      if (shallow && !minLength) return fc.constant([]);
      return fc.array(
        schema.items === undefined ? fc.jsonValue({ maxDepth: 1 }) : schemaArbitrary(document, schema.items, nested),
        { minLength, maxLength: numberOr(schema.maxItems) ?? 4 },
      ) as fc.Arbitrary<Json>;
    }
    default: {
      const properties = isObject(schema.properties) ? (schema.properties as Record<string, unknown>) : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      if (Object.keys(properties).length === 0) {
        if (schema.additionalProperties === false) return fc.constant({});
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }),
          fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>,
          { maxKeys: 4 },
        );
      }
      const model = Object.fromEntries(
        Object.entries(properties)
          .filter(([name]) => !shallow || required.includes(name))
          .map(([name, property]) => [name, schemaArbitrary(document, property, nested)]),
      );
      return fc.record(model, { requiredKeys: required.filter((name) => name in model) }) as fc.Arbitrary<Json>;
    }
  }
}

/**
 * A schema with its `allOf` members folded in: each member's keywords, and the `properties` and
 * `required` of all (a later member's keywords would otherwise hide an earlier member's properties).
 */
function allOfMerged(document: OpenAPI3, schema: Schema, allOf: unknown[]): Schema {
  const parts = [...allOf.map((part) => resolveRef(document, part as Schema) as Schema), schema];
  const withProperties = parts.filter((part) => isObject(part.properties));
  const required = [...new Set(parts.flatMap((part) => (Array.isArray(part.required) ? part.required : [])))];
  return Object.assign(
    {},
    ...parts,
    withProperties.length > 0 && { properties: Object.assign({}, ...withProperties.map((part) => part.properties)) },
    required.length > 0 && { required },
  );
}

/**
 * Values a JSON Schema (2020-12, as OpenAPI 3.1 writes it) describes, for fast-check. It covers
 * the keywords these specs use and aims inside them; the caller keeps only what Ajv accepts,
 * so a keyword it does not know (e.g. `not`) costs samples, never a wrong verdict.
 */
export function schemaArbitrary(
  document: OpenAPI3,
  schemaOrRef: unknown,
  place: Place = { depth: 0, followed: 0 },
): fc.Arbitrary<Json> {
  if (place.followed > deepestSchema) return fc.constant(null);
  const resolved = resolveRef(document, schemaOrRef as Schema) as Schema;
  // One arbitrary per schema and depth: a schema met again (a shared component) is not built again.
  const atDepth = built.get(resolved) ?? new Map<number, fc.Arbitrary<Json>>();
  built.set(resolved, atDepth);
  const known = atDepth.get(place.depth);
  if (known) return known;
  const arbitrary = newSchemaArbitrary(document, resolved, place);
  atDepth.set(place.depth, arbitrary);
  return arbitrary;
}

const built = new WeakMap<Schema, Map<number, fc.Arbitrary<Json>>>();

function newSchemaArbitrary(document: OpenAPI3, resolved: Schema, place: Place): fc.Arbitrary<Json> {
  const followed = { ...place, followed: place.followed + 1 };
  const { oneOf, anyOf, allOf, ...schema } = resolved;
  if ("const" in schema) return fc.constant(schema.const as Json);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as Json[]));
  const branches = [oneOf, anyOf].flatMap((list) => (Array.isArray(list) ? list : []));
  if (branches.length > 0) {
    return fc.oneof(
      ...branches.map((branch) =>
        schemaArbitrary(document, { ...schema, ...(resolveRef(document, branch as Schema) as Schema) }, followed),
      ),
    );
  }
  if (Array.isArray(allOf)) return schemaArbitrary(document, allOfMerged(document, schema, allOf), followed);
  const types = [schema.type].flat().filter((type): type is string => typeof type === "string");
  if (types.length === 0)
    return isObject(schema.properties)
      ? typedArbitrary(document, "object", schema, place)
      : (fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>);
  return fc.oneof(...types.map((type) => typedArbitrary(document, type, schema, place)));
}

/** `count` samples of the schema, from a fixed seed so that every run sends the same bodies. */
export function sampleValues(document: OpenAPI3, schema: unknown, count: number, seed: number): Json[] {
  return fc.sample(schemaArbitrary(document, schema), { seed, numRuns: count });
}

/** The seed of the bodies made up where the spec documents no example: the same on every run. */
const fittingSampleSeed = 20_251_127;

/**
 * A value the schema accepts (`fits` says which), for a body the spec gives no example of: the
 * first of 50 seeded samples that fits; undefined when none does.
 */
export function fittingSample(
  document: OpenAPI3,
  schema: unknown,
  fits: (value: unknown) => boolean,
): Json | undefined {
  return sampleValues(document, schema, 50, fittingSampleSeed).find(fits);
}
