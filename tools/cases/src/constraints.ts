import {
  isObject,
  type Json,
  nonAsciiKey,
  nonAsciiText,
  type Operation,
  patternRegExp,
  readKeyword,
  requestBodyOf,
  requestSchemaOf,
  requestSchemaPointer,
  resolveRef,
  type SpecValidator,
  unknownKey,
  valueAt,
  withValue,
  wrongTypeValues,
} from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";

type Schema = Record<string, unknown>;

export interface ConstraintCase {
  /** e.g. `updates.org_display_name maxLength 30: 31 characters` */
  name: string;
  body: Json;
  /** What the spec's own schema says of the body; the mock must say the same. */
  expected: "accepted" | "rejected";
  /** The schema keyword the case probes (`type`, `maxLength`, `required`, ...), or `nonAscii`. */
  keyword: string;
  /** For a `type` case: the schema's types and the JSON type put in their place. */
  wrongType?: { allowed: string[]; given: string };
}

/** Where a candidate value goes in the body, and why it was chosen. */
interface Candidate {
  path: string[];
  label: string;
  keyword: string;
  wrongType?: ConstraintCase["wrongType"];
  /** The value, or `undefined` to remove the property. */
  value: Json | undefined;
}

/** A value each format refuses (body fields and parameters). */
export const formatViolations: Record<string, string> = {
  uri: "not a uri",
  uuid: "not-a-uuid",
  "date-time": "yesterday",
  date: "someday",
  email: "not an email",
};

/** Values many patterns refuse; the first one a pattern refuses is sent. */
export const patternViolations = ["", " ", "UPPER", "under_score", "with space", "!"];

/** The candidates one schema's own keywords call for, at `path`. */
function keywordCandidates(schema: Schema, path: string[], current: Json | undefined): Candidate[] {
  const at = (label: string, value: Json | undefined, keyword = label.split(/[ :]/)[0]!): Candidate => ({
    path,
    label,
    keyword,
    value,
  });
  const candidates: Candidate[] = [];
  const types = [schema.type].flat().filter((type): type is string => typeof type === "string");
  for (const { type, value } of wrongTypeValues(types)) {
    candidates.push({
      ...at(`type ${types.join("|")}: ${type} ${JSON.stringify(value)}`, value),
      wrongType: { allowed: types, given: type },
    });
  }
  if (types.includes("string"))
    candidates.push(at(`type string: non-ASCII text ${JSON.stringify(nonAsciiText)}`, nonAsciiText, "nonAscii"));
  if (types.includes("object"))
    candidates.push({
      path: [...path, nonAsciiKey],
      label: "a non-ASCII property name",
      keyword: "nonAscii",
      value: "x",
    });
  const fill = typeof current === "string" && current.length > 0 ? current[0]! : "a";
  if (typeof schema.minLength === "number") {
    const bound = schema.minLength;
    candidates.push(at(`minLength ${bound}: ${bound} characters`, fill.repeat(bound)));
    if (bound > 0) candidates.push(at(`minLength ${bound}: ${bound - 1} characters`, fill.repeat(bound - 1)));
  }
  if (typeof schema.maxLength === "number") {
    const bound = schema.maxLength;
    candidates.push(at(`maxLength ${bound}: ${bound} characters`, fill.repeat(bound)));
    candidates.push(at(`maxLength ${bound}: ${bound + 1} characters`, fill.repeat(bound + 1)));
  }
  const step = types.includes("integer") ? 1 : 0.001;
  for (const [keyword, outside, inside] of [
    ["minimum", -step, 0],
    ["maximum", step, 0],
    ["exclusiveMinimum", 0, step],
    ["exclusiveMaximum", 0, -step],
  ] as const) {
    const bound = schema[keyword];
    // Past 2^53 a JavaScript number is not the bound, nor one step from it (int64's 2^63 - 1 prints as
    // 9223372036854776000, above it): no client written in JavaScript can send either case.
    if (typeof bound !== "number" || Math.abs(bound) > Number.MAX_SAFE_INTEGER) continue;
    candidates.push(at(`${keyword} ${bound}: ${bound + inside}`, bound + inside));
    candidates.push(at(`${keyword} ${bound}: ${bound + outside}`, bound + outside));
  }
  const pattern = typeof schema.pattern === "string" ? patternRegExp(schema.pattern) : undefined;
  if (pattern) {
    if (typeof current === "string" && pattern.test(current))
      candidates.push(at(`pattern ${schema.pattern}: ${JSON.stringify(current)}`, current));
    const violation = patternViolations.find((value) => !pattern.test(value));
    if (violation !== undefined)
      candidates.push(at(`pattern ${schema.pattern}: ${JSON.stringify(violation)}`, violation));
  }
  if (typeof schema.format === "string" && formatViolations[schema.format]) {
    candidates.push(
      at(
        `format ${schema.format}: ${JSON.stringify(formatViolations[schema.format])}`,
        formatViolations[schema.format]!,
      ),
    );
  }
  if ("const" in schema) {
    const value = schema.const as Json;
    candidates.push(at(`const ${JSON.stringify(value)}: ${JSON.stringify(value)}`, value));
    const other = typeof value === "number" ? value - 1 : `${String(value)}-other`;
    candidates.push(at(`const ${JSON.stringify(value)}: ${JSON.stringify(other)}`, other));
  }
  const values = readKeyword(schema, "enum") as Json[] | undefined;
  if (values) {
    for (const value of values) candidates.push(at(`enum: ${JSON.stringify(value)}`, value));
    candidates.push(at(`enum: a value outside it`, "not-in-the-enum"));
  }
  const properties = isObject(schema.properties) ? Object.keys(schema.properties) : [];
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    candidates.push({ path: [...path, name], label: `required: missing`, keyword: "required", value: undefined });
  }
  if (schema.additionalProperties === false) {
    candidates.push({
      path: [...path, unknownKey],
      label: "additionalProperties false: an unknown key",
      keyword: "additionalProperties",
      value: true,
    });
  }
  if (typeof schema.minProperties === "number" && schema.minProperties > 0) {
    const kept = isObject(current) ? Object.entries(current) : [];
    candidates.push(
      at(
        `minProperties ${schema.minProperties}: ${schema.minProperties - 1} properties`,
        Object.fromEntries(kept.slice(0, schema.minProperties - 1)),
      ),
    );
    if (kept.length >= schema.minProperties || properties.length === 0) {
      candidates.push(
        at(
          `minProperties ${schema.minProperties}: ${schema.minProperties} properties`,
          Object.fromEntries(kept.slice(0, schema.minProperties)),
        ),
      );
    }
  }
  return candidates;
}

/** Every candidate of a schema and of the schemas inside it (properties, branches, allOf). */
function collectCandidates(
  document: OpenAPI3,
  schemaOrRef: unknown,
  path: string[],
  base: Json | undefined,
): Candidate[] {
  const schema = resolveRef(document, schemaOrRef as Schema) as Schema;
  const current = valueAt(base, path);
  const nested = [
    ...Object.entries(isObject(schema.properties) ? (schema.properties as Record<string, unknown>) : {}).flatMap(
      ([name, property]) => collectCandidates(document, property, [...path, name], base),
    ),
    ...(["oneOf", "anyOf", "allOf"] as const).flatMap((keyword) =>
      (Array.isArray(schema[keyword]) ? (schema[keyword] as unknown[]) : []).flatMap((branch) =>
        collectCandidates(document, branch, path, base),
      ),
    ),
  ];
  return [...keywordCandidates(schema, path, current), ...nested];
}

/**
 * The most bytes of text a body case sends, half of what servers take in a whole body (nginx 1 MiB
 * by default, the mocks too, answering 413): a longer value (OpenAI bounds an input at 10 MiB)
 * tests that cap, not the spec's bound.
 */
const longestText = 512 * 1024;

/**
 * Boundary cases for every constraint keyword of a request body schema, each placed into the
 * operation's example body: every JSON type the `type` keyword rules out, non-ASCII text and
 * property names, and both sides of each bound, pattern, format, const, enum and required key
 * (a text longer than `longestText` left out). The expected verdict comes from the spec's schema itself, so a
 * value outside one `oneOf` branch but inside another is expected to pass.
 */
export function constraintCases(
  document: OpenAPI3,
  operation: Operation,
  example: Json,
  validate: SpecValidator,
): ConstraintCase[] {
  const schema = requestSchemaOf(document, operation);
  if (!schema) return [];
  const schemaPointer = requestBodyOf(document, operation)?.schemaPointer ?? requestSchemaPointer(operation);
  const seen = new Set<string>();
  return collectCandidates(document, schema, [], example).flatMap(({ path, label, value, keyword, wrongType }) => {
    if (typeof value === "string" && Buffer.byteLength(value) > longestText) return [];
    const body = withValue(example, path, value);
    const name = `${path.join(".") || "body"} ${label}`;
    if (seen.has(name)) return [];
    seen.add(name);
    const expected = validate(schemaPointer, body).length === 0 ? "accepted" : "rejected";
    return [{ name, body, expected, keyword, ...(wrongType && { wrongType }) }];
  });
}
