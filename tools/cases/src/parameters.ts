import {
  type Operation,
  type ParameterSpec,
  parameterExample,
  parametersOf,
  patternRegExp,
  readKeyword,
  resolveRef,
  type SpecValidator,
} from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { formatViolations, patternViolations } from "./constraints.ts";

type Schema = Record<string, unknown>;
export type Location = "path" | "query" | "header" | "cookie";

export interface ParameterCase {
  /** e.g. `query limit maximum 100: 101` */
  name: string;
  location: Location;
  parameter: string;
  /** The value sent in its place, typed as the client takes it; undefined leaves the parameter out. */
  value: unknown;
  /** What the spec's schema says of the value. */
  expected: "accepted" | "rejected";
  /** The schema keyword the case probes (`required`, `type`, `maximum`, `maxItems`, ...). */
  keyword: string;
}

interface Candidate {
  label: string;
  keyword: string;
  value: unknown;
}

/** Text no integer, number or boolean reads as. */
const notAValue = "not-a-value";

const numberBounds = [
  ["minimum", -1, 0],
  ["maximum", 1, 0],
  ["exclusiveMinimum", 0, 1],
  ["exclusiveMaximum", 0, -1],
] as const;

/**
 * Values one parameter schema's keywords call for, each as it can travel in a URL, a header or a
 * cookie: text, numbers and lists of them (JSON's null and objects have no place there).
 */
function scalarCandidates(schema: Schema, example: unknown): Candidate[] {
  const types = [schema.type].flat().filter((type): type is string => typeof type === "string");
  const candidates: Candidate[] = [];
  const at = (keyword: string, label: string, value: unknown) => candidates.push({ keyword, label, value });
  // Only where the text can be told apart: every value in a URL is text, and an object's is its members.
  if (types.length > 0 && types.every((type) => ["integer", "number", "boolean"].includes(type)))
    at("type", `type ${types.join("|")}: "${notAValue}"`, notAValue);
  const values = readKeyword(schema, "enum") as unknown[] | undefined;
  if (values) {
    const outside = values.every((value) => typeof value === "number")
      ? Math.max(...(values as number[])) + 1
      : "not-in-the-enum";
    at("enum", `enum: ${JSON.stringify(outside)}`, outside);
  }
  const fill = typeof example === "string" && example.length > 0 ? example[0]! : "a";
  for (const keyword of ["minLength", "maxLength"] as const) {
    const bound = schema[keyword];
    if (typeof bound !== "number") continue;
    for (const length of keyword === "minLength" ? [bound, bound - 1] : [bound, bound + 1])
      if (length >= 0) at(keyword, `${keyword} ${bound}: ${length} characters`, fill.repeat(length));
  }
  const step = types.includes("integer") ? 1 : 0.5;
  for (const [keyword, outside, inside] of numberBounds) {
    const bound = schema[keyword];
    if (typeof bound !== "number") continue;
    at(keyword, `${keyword} ${bound}: ${bound + inside * step}`, bound + inside * step);
    at(keyword, `${keyword} ${bound}: ${bound + outside * step}`, bound + outside * step);
  }
  const pattern = typeof schema.pattern === "string" ? patternRegExp(schema.pattern) : undefined;
  if (pattern) {
    const violation = patternViolations.find((value) => !pattern.test(value));
    if (violation !== undefined) at("pattern", `pattern ${schema.pattern}: ${JSON.stringify(violation)}`, violation);
  }
  const format = typeof schema.format === "string" ? formatViolations[schema.format] : undefined;
  if (format !== undefined) at("format", `format ${schema.format}: ${JSON.stringify(format)}`, format);
  return candidates;
}

/** The candidates of an array parameter: its length bounds and, as a one-item list, each of its items' candidates. */
function arrayCandidates(document: OpenAPI3, schema: Schema, example: unknown): Candidate[] {
  const items = resolveRef(document, (schema.items ?? {}) as Schema) as Schema;
  const list = Array.isArray(example) && example.length > 0 ? example : [];
  const item = list[0] ?? "a";
  const ofLength = (length: number) =>
    Array.from({ length }, (_, index) => list[index % Math.max(list.length, 1)] ?? item);
  const candidates: Candidate[] = [];
  for (const keyword of ["minItems", "maxItems"] as const) {
    const bound = schema[keyword];
    if (typeof bound !== "number") continue;
    for (const length of keyword === "minItems" ? [bound, bound - 1] : [bound, bound + 1])
      if (length >= 0)
        candidates.push({ keyword, label: `${keyword} ${bound}: ${length} items`, value: ofLength(length) });
  }
  if (schema.uniqueItems === true)
    candidates.push({ keyword: "uniqueItems", label: "uniqueItems: a repeated item", value: [item, item] });
  for (const candidate of scalarCandidates(items, item))
    candidates.push({ ...candidate, label: `items ${candidate.label}`, value: [candidate.value] });
  return candidates;
}

/**
 * The longest text a case sends as one parameter: servers refuse a longer request line or header
 * (nginx reads 8 KiB a line, Node 16 KiB for the request line and headers together, answering 431
 * or closing the connection), so a longer value tests the server's limits, not the spec's bound.
 */
const longestSent = 4096;

/**
 * Whether a value can travel in its place: a path segment must not be empty, a header holds Latin-1
 * only, none is longer than `longestSent`. An empty list is written as nothing (every style), so it
 * travels as the parameter's absence, which the `required` case probes (Box's optional `mdfilters`
 * with `minItems: 1`: "0 items" went out as a valid request without it).
 */
function sendable(location: Location, value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  const texts = [value].flat().map(String);
  if (texts.join(",").length > longestSent) return false;
  if (location === "path" && texts.some((text) => text === "")) return false;
  return location !== "header" || texts.every((text) => /^[\x20-\x7e]*$/.test(text));
}

/**
 * Cases for every constraint of every parameter of an operation, in every location: a required
 * one left out; and for its schema (an array's items too) a value of another type, a value
 * outside its enum, both sides of each length, number and item-count bound, a value its pattern
 * or format refuses. Each value is what travels (text, a number, a list), and the expected
 * verdict comes from the spec's schema itself, by `validate` (the cases' takes the value as its
 * text reads: a number where the schema wants text is text on the wire).
 */
export function parameterCases(document: OpenAPI3, operation: Operation, validate: SpecValidator): ParameterCase[] {
  return parametersOf(document, operation).flatMap((parameter: ParameterSpec) => {
    const { object, schemaPointer } = parameter;
    const location = object.in as Location;
    const name = (label: string) => `${location} ${object.name} ${label}`;
    const missing: ParameterCase[] =
      object.required && location !== "path"
        ? [
            {
              name: name("required: missing"),
              location,
              parameter: object.name,
              value: undefined,
              expected: "rejected",
              keyword: "required",
            },
          ]
        : [];
    // A parameter with `content` travels as JSON text: only its presence is probed.
    if (!object.schema) return missing;
    const schema = resolveRef(document, object.schema) as Schema;
    const example = parameterExample(document, parameter);
    const candidates =
      schema.type === "array" ? arrayCandidates(document, schema, example) : scalarCandidates(schema, example);
    return [
      ...missing,
      ...candidates
        .filter(({ value }) => sendable(location, value))
        .map(
          ({ label, keyword, value }): ParameterCase => ({
            name: name(label),
            location,
            parameter: object.name,
            value,
            expected: validate(schemaPointer, value).length === 0 ? "accepted" : "rejected",
            keyword,
          }),
        ),
    ];
  });
}
