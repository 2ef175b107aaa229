import {
  isObject,
  type Json,
  jsonPointer,
  patternRegExp,
  readKeyword,
  resolveRef,
  schemaExample,
} from "@contracts/spec";
import fc from "fast-check";
import type { OpenAPI3 } from "openapi-typescript";

type Schema = Record<string, unknown>;

/**
 * A web URL: `https://`, a host name, a path of up to three segments. fast-check's own `webUrl`
 * takes seconds to build (its path arbitrary), more than openapi-typescript takes for a whole API.
 */
const webUrl = () =>
  fc
    .tuple(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/),
      fc.constantFrom("com", "org", "net", "io", "dev"),
      fc.array(fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/), { maxLength: 3 }),
    )
    .map(([host, domain, segments]) => `https://${host}.${domain}${segments.map((segment) => `/${segment}`).join("")}`);

/** An instant as `2026-12-07T23:59:59.123Z`: its parts are the date and time formats' values. */
const instant = () =>
  fc
    .date({ min: new Date("1970-01-01"), max: new Date("2999-12-31"), noInvalidDate: true })
    .map((date) => date.toISOString());

/** A value for each string format Ajv checks (ajv-formats'), where a random string would almost never fit. */
const formats: Record<string, () => fc.Arbitrary<string>> = {
  uri: webUrl,
  // Plaid's webhooks: ajv-formats still checks the older name.
  url: webUrl,
  "uri-reference": webUrl,
  uuid: () => fc.uuid(),
  email: () => fc.emailAddress(),
  hostname: () => fc.domain(),
  ipv4: () => fc.ipV4(),
  ipv6: () => fc.ipV6(),
  byte: () => fc.base64String({ maxLength: 24 }),
  "date-time": instant,
  "iso-date-time": instant,
  date: () => instant().map((text) => text.slice(0, 10)),
  time: () => instant().map((text) => text.slice(11)),
  "iso-time": () => instant().map((text) => text.slice(11)),
  duration: () => fc.nat({ max: 86_400 }).map((seconds) => `PT${seconds}S`),
  "json-pointer": () =>
    fc
      .array(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), { maxLength: 3 })
      .map((path) => path.map((part) => `/${part}`).join("")),
};

/**
 * String arbitraries by what they are made from: building one (`webUrl` above all) costs more than
 * drawing a value from it, and a large spec has thousands of string schemas of a few kinds. An
 * arbitrary keeps no state between draws, so sharing one changes no value.
 */
const strings = new Map<string, fc.Arbitrary<string>>();
const sharedString = (key: string, make: () => fc.Arbitrary<string>) => {
  let arbitrary = strings.get(key);
  if (!arbitrary) {
    arbitrary = make();
    strings.set(key, arbitrary);
  }
  return arbitrary;
};

const numberOr = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

/**
 * A schema's bounds, whichever way it writes them: JSON Schema 2020-12's numeric `exclusiveMinimum`,
 * or OpenAPI 3.0's boolean one beside `minimum` (as the spec layer reads it, see `specReading`); the
 * tighter of the two where both are given.
 */
function boundsOf(schema: Schema): { min?: number; minExcluded: boolean; max?: number; maxExcluded: boolean } {
  const side = (inclusive: unknown, exclusive: unknown, tighter: (a: number, b: number) => boolean) => {
    const bound = numberOr(inclusive);
    if (exclusive === true && bound !== undefined) return { bound, excluded: true };
    const excluding = numberOr(exclusive);
    if (excluding === undefined) return { bound, excluded: false };
    return bound !== undefined && !tighter(excluding, bound) && excluding !== bound
      ? { bound, excluded: false }
      : { bound: excluding, excluded: true };
  };
  const low = side(schema.minimum, schema.exclusiveMinimum, (a, b) => a > b);
  const high = side(schema.maximum, schema.exclusiveMaximum, (a, b) => a < b);
  return { min: low.bound, minExcluded: low.excluded, max: high.bound, maxExcluded: high.excluded };
}

/**
 * The range values are drawn from: the schema's bounds, a million either side of zero where it
 * gives none, and where it gives one side only beyond that million, two million from it.
 */
function rangeOf(schema: Schema, integer: boolean) {
  const { min, minExcluded, max, maxExcluded } = boundsOf(schema);
  const [low, high] = integer
    ? [
        min === undefined ? undefined : minExcluded ? Math.floor(min) + 1 : Math.ceil(min),
        max === undefined ? undefined : maxExcluded ? Math.ceil(max) - 1 : Math.floor(max),
      ]
    : [min, max];
  return {
    low: low ?? (high !== undefined && high < -1e6 ? high - 2e6 : -1e6),
    high: high ?? (low !== undefined && low > 1e6 ? low + 2e6 : 1e6),
    minExcluded: !integer && min !== undefined && minExcluded,
    maxExcluded: !integer && max !== undefined && maxExcluded,
  };
}

/**
 * Integers within JavaScript's safe range, as Prism bounds `int64` (a value beyond 2^53 does not
 * survive JSON.parse exactly): fast-check's integer arbitrary takes no other, and never returns
 * for a range like int64's ±9.2e18.
 */
function integerArbitrary(schema: Schema): fc.Arbitrary<number> {
  const safe = (value: number) => Math.min(Math.max(value, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
  const { low, high } = rangeOf(schema, true);
  // Bounds that leave no integer: a value the schema refuses, which the caller's check then drops.
  return low <= high ? fc.integer({ min: safe(low), max: safe(high) }) : fc.constant(safe(low));
}

function numberArbitrary(schema: Schema): fc.Arbitrary<number> {
  const { low, high, minExcluded, maxExcluded } = rangeOf(schema, false);
  if (low > high || (low === high && (minExcluded || maxExcluded))) return fc.constant(low);
  return fc.double({ min: low, max: high, minExcluded, maxExcluded, noNaN: true });
}

/**
 * A pattern as the spec layer reads it (`patternRegExp`: as written with the `u` flag, else as
 * ECMAScript reads it without, Annex B), or undefined where it is no regular expression at all.
 */
function patternOf(schema: Schema): RegExp | undefined {
  return typeof schema.pattern === "string" ? patternRegExp(schema.pattern) : undefined;
}

/** How many strings one draw tries against a pattern fast-check cannot generate from. */
const patternTries = 50;

/**
 * Strings matching the pattern, by fast-check's `stringMatching`; or where it cannot generate from
 * the pattern (it throws on `\b`, `\B`, lookahead, lookbehind and back references), its reason.
 * One per pattern: a large spec repeats its patterns.
 */
const matchers = new Map<string, fc.Arbitrary<string> | { reason: string }>();
function matcherOf(pattern: RegExp): fc.Arbitrary<string> | { reason: string } {
  let matcher = matchers.get(pattern.source);
  if (!matcher) {
    try {
      matcher = fc.stringMatching(pattern);
    } catch (error) {
      matcher = { reason: (error as Error).message };
    }
    matchers.set(pattern.source, matcher);
  }
  return matcher;
}

/** The index of the `)` that closes the group opened at `open`, escapes and classes skipped. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let index = open; index < source.length; index += 1) {
    const char = source[index];
    if (char === "\\") index += 1;
    else if (inClass) inClass = char !== "]";
    else if (char === "[") inClass = true;
    else if (char === "(") depth += 1;
    else if (char === ")" && --depth === 0) return index;
  }
  return source.length;
}

/**
 * The pattern without what fast-check cannot generate from: its assertions (`\b`, `\B`, lookahead,
 * lookbehind), which leaves a pattern matching more, and its back references, which leaves one
 * matching other strings too. Under the `u` flag none of them takes a quantifier, so none is left
 * dangling.
 */
function relaxedPattern(source: string): string {
  let out = "";
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index]!;
    if (char === "\\") {
      const sequence = /^\\(k<[^>]*>|[1-9]\d*|.)/su.exec(source.slice(index))![0];
      index += sequence.length - 1;
      // In a class `\b` is a backspace (which fast-check refuses to read), and no back reference is allowed.
      if (inClass) out += sequence === "\\b" ? "\\x08" : sequence;
      else if (!/^\\([bB]|k<|[1-9])/.test(sequence)) out += sequence;
    } else if (!inClass && /^\(\?<?[=!]/.test(source.slice(index))) index = groupEnd(source, index);
    else {
      if (inClass) inClass = char !== "]";
      else inClass = char === "[";
      out += char;
    }
  }
  return out;
}

/**
 * For a pattern fast-check cannot generate from: the schema's own values that match (`example`,
 * `examples`, `default`), else strings of the relaxed pattern (see `relaxedPattern`) each draw tries
 * up to `patternTries` of, keeping the first the pattern matches. A draw may find none: the caller's
 * check then drops it, as for any keyword the arbitrary misses.
 */
function unmatchableFallback(schema: Schema, pattern: RegExp, fits: (text: string) => boolean) {
  const own = [schema.example, ...(Array.isArray(schema.examples) ? schema.examples : []), schema.default].filter(
    (value): value is string => typeof value === "string" && pattern.test(value) && fits(value),
  );
  if (own.length > 0)
    return { arbitrary: fc.constantFrom(...new Set(own)), drawnFrom: "the values the schema gives that match it" };
  const relaxed = matcherOf(new RegExp(relaxedPattern(pattern.source), "u"));
  const candidates = "reason" in relaxed ? fc.string({ unit: "grapheme-ascii" }) : relaxed;
  return {
    arbitrary: fc
      .array(candidates, { minLength: patternTries, maxLength: patternTries })
      .map((tries) => tries.find((text) => pattern.test(text) && fits(text)) ?? tries[0]!),
    drawnFrom: `${"reason" in relaxed ? "plain strings" : "strings of the pattern without its assertions and back references"}, ${patternTries} tried per value, and a value may not be found`,
  };
}

/**
 * How strings are drawn for a schema with a pattern (as the spec layer reads it): by fast-check from
 * the pattern; where it cannot, by `unmatchableFallback`, with fast-check's reason and what is drawn
 * instead. Lengths in code points, as Ajv counts them.
 */
function patternStrategy(
  schema: Schema,
  pattern: RegExp,
): { arbitrary: fc.Arbitrary<string>; unmatchable?: { reason: string; drawnFrom: string } } {
  const [min, max] = [numberOr(schema.minLength) ?? 0, numberOr(schema.maxLength) ?? Infinity];
  const fits = (text: string) => [...text].length >= min && [...text].length <= max;
  const matcher = matcherOf(pattern);
  if (!("reason" in matcher))
    return { arbitrary: sharedString(`pattern ${min} ${max} ${pattern.source}`, () => matcher.filter(fits)) };
  const { arbitrary, drawnFrom } = unmatchableFallback(schema, pattern, fits);
  return { arbitrary, unmatchable: { reason: matcher.reason, drawnFrom } };
}

/** A schema whose pattern fast-check cannot generate from, and how its strings are drawn instead. */
export interface UnmatchablePattern {
  /** The schema's JSON pointer in the document. */
  pointer: string;
  message: string;
}

/** Fields that hold values, not schemas: a `pattern` key inside one is data. */
const valueFields = new Set(["example", "examples", "default", "enum", "const", "value"]);
/** Maps keyed by names, where `example` or `default` names a schema. */
const nameMaps = new Set(["properties", "patternProperties", "$defs", "definitions", "schemas", "dependentSchemas"]);

/**
 * Every schema of the document with a pattern fast-check cannot generate from (see
 * `patternStrategy`), in document order: a runner tells them, so that a value not found for one
 * (a body no sample of fits) has its place and cause named.
 */
export function unmatchablePatterns(document: OpenAPI3): UnmatchablePattern[] {
  const found: UnmatchablePattern[] = [];
  const walk = (node: unknown, pointer: string, names = false) => {
    if (Array.isArray(node)) for (const [index, item] of node.entries()) walk(item, `${pointer}/${index}`);
    if (!isObject(node)) return;
    const pattern = patternOf(node);
    const unmatchable = pattern && patternStrategy(node, pattern).unmatchable;
    if (unmatchable)
      found.push({
        pointer,
        message: `\`pattern: ${String(node.pattern)}\` is beyond fast-check's generator (${unmatchable.reason}): its strings are drawn from ${unmatchable.drawnFrom}`,
      });
    for (const [key, child] of Object.entries(node))
      if (names || !valueFields.has(key)) walk(child, `${pointer}${jsonPointer(key)}`, nameMaps.has(key) && !names);
  };
  walk(document, "");
  return found;
}

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  if (typeof schema.format === "string" && formats[schema.format])
    return sharedString(`format ${schema.format}`, formats[schema.format]!);
  const pattern = patternOf(schema);
  if (pattern) return patternStrategy(schema, pattern).arbitrary;
  const { minLength, maxLength } = lengths(schema.minLength, schema.maxLength, 40);
  return sharedString(`string ${minLength} ${maxLength}`, () => fc.string({ minLength, maxLength, unit: "grapheme" }));
}

/**
 * How deep a value nests: a recursive schema (a tree, a linked list, a `$ref` to itself) would
 * otherwise be built forever. Past `shallowDepth` nested values lists are empty and objects keep
 * only their required properties; past `deepestSchema` schemas followed (nesting, `oneOf`, `allOf`)
 * a value gives up (null, which Ajv's check then drops).
 */
const shallowDepth = 3;
const deepestSchema = 48;

/**
 * Length bounds as fast-check takes them: the longest `usual` where the schema gives no maximum, yet
 * never below the minimum (a `minLength: 50` string), nor where a schema's maximum is below its
 * minimum (no value fits; fast-check threw): the caller's check refuses every draw then.
 */
function lengths(min: unknown, max: unknown, usual: number): { minLength: number | undefined; maxLength: number } {
  const minLength = numberOr(min);
  return { minLength, maxLength: Math.max(minLength ?? 0, numberOr(max) ?? usual) };
}

/**
 * A map's key: any short text but the names of Object's own members (`valueOf`, `constructor`,
 * `__proto__`), which fast-check draws on purpose and on which Ajv's deep equality (`uniqueItems`,
 * `enum` of objects) throws, as would any mock built on it: no check of the contract, only a crash.
 */
const mapKey = fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !(key in Object.prototype));

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
    case "integer":
      return integerArbitrary(schema);
    case "number":
      return numberArbitrary(schema);
    case "array": {
      const length = lengths(schema.minItems, schema.maxItems, 4);
      if (shallow && !length.minLength) return fc.constant([]);
      const items =
        schema.items === undefined ? fc.jsonValue({ maxDepth: 1 }) : schemaArbitrary(document, schema.items, nested);
      // Two equal objects are equal items too (Ajv compares values), so they are told apart by their JSON.
      return (
        schema.uniqueItems === true
          ? fc.uniqueArray(items, { ...length, selector: (item) => JSON.stringify(item) })
          : fc.array(items, length)
      ) as fc.Arbitrary<Json>;
    }
    default: {
      const properties = isObject(schema.properties) ? (schema.properties as Record<string, unknown>) : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      if (Object.keys(properties).length === 0) {
        const values = schema.additionalProperties;
        if (values === false || (shallow && isObject(values) && !numberOr(schema.minProperties)))
          return fc.constant({});
        // A map's values follow its `additionalProperties` schema (Discord's `resolved.users`: users by id).
        return fc.dictionary(
          mapKey,
          isObject(values)
            ? schemaArbitrary(document, values, nested)
            : (fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>),
          {
            minKeys: numberOr(schema.minProperties),
            maxKeys: numberOr(schema.maxProperties) ?? 4,
            // What JSON.parse makes: an object with Object's prototype.
            noNullPrototype: true,
          },
        );
      }
      const model = Object.fromEntries(
        Object.entries(properties)
          .filter(([name]) => !shallow || required.includes(name))
          .map(([name, property]) => [name, schemaArbitrary(document, property, nested)]),
      );
      return fc.record(model, {
        requiredKeys: required.filter((name) => name in model),
        noNullPrototype: true,
      }) as fc.Arbitrary<Json>;
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
  const resolved: unknown = resolveRef(document, schemaOrRef as Schema);
  // A boolean schema (or what is no schema at all): anything for `true`, which the caller's check sorts out.
  if (!isObject(resolved))
    return resolved === false ? fc.constant(null) : (fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>);
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
  // `enum: []` is not read (see `readKeyword`): the other keywords say what the values are.
  const values = readKeyword(schema, "enum") as Json[] | undefined;
  if (values) return fc.constantFrom(...values);
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
 * first of 50 seeded samples that fits and is not null (the very value `sampleValues` would list
 * first among those), else null where null fits (`type: [array, "null"]`: a list answered `null`
 * tells a mock's user little); undefined when none fits. Samples are made one at a time up to the
 * first that fits: a large spec has hundreds of bodies to make up.
 */
export function fittingSample(
  document: OpenAPI3,
  schema: unknown,
  fits: (value: unknown) => boolean,
): Json | undefined {
  let thrown: { error: unknown } | undefined;
  let nullFits = false;
  // fast-check's check draws the same values as its sample for the same seed, and stops at the first "failure": here, a fit.
  const outcome = fc.check(
    fc.property(schemaArbitrary(document, schema), (value) => {
      try {
        if (!fits(value)) return true;
        if (value !== null) return false;
        nullFits = true;
        return true;
      } catch (error) {
        thrown = { error };
        return false;
      }
    }),
    { seed: fittingSampleSeed, numRuns: 50, endOnFailure: true },
  );
  if (thrown) throw thrown.error;
  if (outcome.failed) return outcome.counterexample![0];
  return nullFits ? null : undefined;
}

/** Whether every integer in the value is one a double holds exactly (the sampler gives int64's bounds, -2^63). */
const exactNumbers = (value: unknown): boolean =>
  typeof value === "number"
    ? !Number.isInteger(value) || Number.isSafeInteger(value)
    : typeof value === "object" && value !== null
      ? Object.values(value).every(exactNumbers)
      : true;

/**
 * The body both mocks (the Prism front and the MSW handlers) answer where the spec gives no
 * example: openapi-sampler's (the schema's own `example`s, defaults and enums at every depth, as
 * Prism's sampler, its fork, makes it) where the schema accepts it and its integers are exact, else the first seeded sample
 * that fits (`fittingSample`: the sampler reads an `enum` beside an `allOf` as the `allOf` alone,
 * Discord's scopes), else the sampler's all the same (Plaid's ApplicationGetResponse, where none of
 * the draws fits either).
 */
export function madeUpBody(document: OpenAPI3, schema: unknown, fits: (value: unknown) => boolean): unknown {
  const sampled = schemaExample(document, schema as Parameters<typeof schemaExample>[1], "response");
  if (fits(sampled) && exactNumbers(sampled)) return sampled;
  const sample = fittingSample(document, schema, fits);
  return sample === undefined ? sampled : sample;
}
