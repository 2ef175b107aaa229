import type { OpenAPI3 } from "openapi-typescript";
import { type Api, repoRelative } from "./apis.ts";
import { placeFinder } from "./places.ts";
import { jsonPointer, pointerSegments } from "./pointers.ts";

/**
 * How the toolchain reads a spec's schemas: JSON Schema 2020-12 (OpenAPI 3.1's dialect), as the
 * one Ajv setup (`specAjv`) and the samplers take it. Published specs write more than that: OpenAPI
 * 3.0's keywords in a 3.1 spec, `nullable` without `type`, patterns only valid without the `u` flag,
 * keywords of other drafts, values of the wrong type. Each gets one defined reading here, the one
 * openapi-typescript (the client's types) and Prism (the mocks) give it where they agree, so a
 * validator never refuses what the types accept; where the toolchain must guess, a note names the
 * place (`ReadingNote`), and `generate` prints it.
 *
 * The readings:
 * - `nullable: true` beside a `type`: null is one more type (and an `enum` takes null), in 3.0 and
 *   3.1 specs alike (Prism reads it so in a 3.1 spec without `jsonSchemaDialect`); noted in a 3.1 spec.
 * - `nullable: true` without a `type`: null, else the schema (openapi-typescript's `T | null`; OpenAPI
 *   3.0.3 gives it no effect, Ajv throws); noted. Beside a `$ref`: ignored, as openapi-typescript
 *   and Prism ignore it (the type is the `$ref`'s alone); noted. `nullable: false`: no effect.
 * - OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`: `true` makes `minimum`/`maximum`
 *   exclusive, `false` nothing (as Prism reads them); noted in a 3.1 spec, and where `true` has no
 *   bound beside it.
 * - A `pattern` (or `patternProperties` key) that is no regular expression with the `u` flag but is
 *   one without it: read as ECMAScript reads it without (Annex B: `\:` is `:`, a lone `{` is `{`),
 *   written as the same expression under `u` (`patternRegExp`). One that is no regular expression at
 *   all is not checked; noted.
 * - In a 3.0 spec the siblings of a `$ref` are ignored, as OpenAPI 3.0 says (and openapi-typescript
 *   and Prism do); noted where one would constrain a value. In 3.1 they apply, as 2020-12 says.
 * - `items` as a list (draft 4 to 2019-09): `prefixItems`, and `additionalItems` then `items`; noted.
 * - A keyword whose value is not of the type JSON Schema gives it (`required: true` on a property,
 *   `minLength: "3"`, `type: file`, `enum: []`, a `$id`, an invalid `$anchor` or one another schema
 *   declares already): not read; noted.
 *   2019-09's `$recursiveRef`/`$recursiveAnchor` are read as 2019-09 reads them (Ajv knows them).
 * - Formats Ajv does not know (`snowflake`, `google-datetime`) are not checked: OpenAPI leaves formats
 *   open. Not noted: that is OpenAPI's own reading.
 */
export interface SpecReading {
  /** The document with every schema as read (unchanged parts shared with the spec's own). */
  document: OpenAPI3;
  /** Every place where the reading is a guess, in document order. */
  notes: ReadingNote[];
  /**
   * Where a pointer into the spec's document is in the read one: the same, but inside a schema a
   * reading wrapped (`nullable` without `type`) or renamed (`items` as a list).
   */
  pointerOf(pointer: string): string;
}

/** A place where the toolchain had to guess what a schema means. */
export interface ReadingNote {
  /** The schema's JSON pointer in the bundled document, e.g. `/components/schemas/Pet/properties/id`. */
  pointer: string;
  /** What kind of guess, in a few words (`nullable without type`): notes of a kind are told together. */
  kind: string;
  /** What the spec writes there, how it is read, and how to write it so nothing is guessed. */
  message: string;
}

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `pattern` as a regular expression with the `u` flag (what Ajv compiles it with), or, for one only
 * valid without the flag, the same expression written for it (Annex B's readings made explicit).
 * Undefined when the pattern is no regular expression either way.
 */
export function unicodePattern(pattern: string): string | undefined {
  if (compiles(pattern, "u")) return pattern;
  if (!compiles(pattern, "")) return undefined;
  const rewritten = annexBRewritten(pattern);
  return rewritten !== undefined && compiles(rewritten, "u") ? rewritten : undefined;
}

/** `pattern` as the toolchain reads it (see `unicodePattern`), compiled with the `u` flag. */
export function patternRegExp(pattern: string): RegExp | undefined {
  const read = unicodePattern(pattern);
  return read === undefined ? undefined : new RegExp(read, "u");
}

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

/** Characters that mean something in a pattern: their escapes stay escapes under `u`. */
const syntaxCharacters = new Set("^$\\.*+?()[]{}|/");

/**
 * The pattern with what Annex B reads as literal characters written as such: identity escapes of
 * other characters (`\:`, `\-` outside a class, `\_`, `\e`), and a `{`, `}` or `]` that begins no
 * quantifier or class. Escapes that mean something (`\d`, `\x41`, `\u0041`, `\cA`, back references)
 * stay as they are; where one of them reads differently under `u`, the result does not compile and
 * the caller gives up.
 */
function annexBRewritten(pattern: string): string | undefined {
  let out = "";
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index]!;
    if (char === "\\") {
      const next = pattern[index + 1];
      if (next === undefined) return undefined;
      index += 1;
      if (syntaxCharacters.has(next) || (inClass && next === "-")) out += `\\${next}`;
      else if (/[dDwWsSbBfnrtv0-9kpP]/.test(next)) out += `\\${next}`;
      else if (next === "c" && /[A-Za-z]/.test(pattern[index + 1] ?? "")) {
        out += `\\c${pattern[index + 1]}`;
        index += 1;
      } else if (next === "x" && /^[0-9A-Fa-f]{2}/.test(pattern.slice(index + 1))) out += "\\x";
      else if (next === "u" && /^[0-9A-Fa-f]{4}/.test(pattern.slice(index + 1))) out += "\\u";
      // An identity escape: the character itself (`-` is no syntax character outside a class).
      else out += next;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      out += char;
    } else if (char === "[") {
      inClass = true;
      out += char;
      // `]` right after `[` or `[^` closes an empty class in ECMAScript: left to the parser.
    } else if (char === "{") {
      out += /^\{\d+(,\d*)?\}/.test(pattern.slice(index)) ? "{" : "\\{";
    } else if (char === "}" || char === "]") {
      // A quantifier's `}` was written with its `{` above: this one closes nothing.
      out += /\{\d+(,\d*)?$/.test(pattern.slice(0, index)) ? "}" : `\\${char}`;
    } else out += char;
  }
  return out;
}

/** JSON Schema's type names. */
const typeNames = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

/** Keywords that only describe: beside a `$ref` in a 3.0 spec they are dropped without a note. */
const annotations = new Set([
  "description",
  "summary",
  "title",
  "deprecated",
  "readOnly",
  "writeOnly",
  "example",
  "examples",
  "externalDocs",
  "xml",
  "discriminator",
  "default",
  "$comment",
]);

/** Keywords whose value is a schema, a list of schemas or a map of schemas. */
const schemaKeywords = [
  "additionalProperties",
  "items",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
  "additionalItems",
  "contentSchema",
];
const schemaListKeywords = ["allOf", "anyOf", "oneOf", "prefixItems"];
const schemaMapKeywords = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

const nonNegativeInteger = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
const finiteNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);

/** What JSON Schema 2020-12 takes as each keyword's value: anything else is not read (Ajv throws on it). */
const keywordValues: Record<string, [check: (value: unknown) => boolean, expected: string]> = {
  maxLength: [nonNegativeInteger, "a non-negative integer"],
  minLength: [nonNegativeInteger, "a non-negative integer"],
  maxItems: [nonNegativeInteger, "a non-negative integer"],
  minItems: [nonNegativeInteger, "a non-negative integer"],
  maxProperties: [nonNegativeInteger, "a non-negative integer"],
  minProperties: [nonNegativeInteger, "a non-negative integer"],
  maxContains: [nonNegativeInteger, "a non-negative integer"],
  minContains: [nonNegativeInteger, "a non-negative integer"],
  multipleOf: [(value) => finiteNumber(value) && (value as number) > 0, "a number above 0"],
  maximum: [finiteNumber, "a number"],
  minimum: [finiteNumber, "a number"],
  exclusiveMaximum: [finiteNumber, "a number"],
  exclusiveMinimum: [finiteNumber, "a number"],
  required: [(value) => Array.isArray(value) && value.every((name) => typeof name === "string"), "a list of names"],
  dependentRequired: [
    (value) => isObject(value) && Object.values(value).every((names) => Array.isArray(names)),
    "a map of name lists",
  ],
  uniqueItems: [(value) => typeof value === "boolean", "true or false"],
  format: [(value) => typeof value === "string", "a string"],
  pattern: [(value) => typeof value === "string", "a string"],
  enum: [(value) => Array.isArray(value) && value.length > 0, "a non-empty list"],
  $anchor: [(value) => typeof value === "string" && /^[A-Za-z_][-A-Za-z0-9._]*$/.test(value), "a plain name"],
  $dynamicAnchor: [(value) => typeof value === "string" && /^[A-Za-z_][-A-Za-z0-9._]*$/.test(value), "a plain name"],
  $ref: [(value) => typeof value === "string", "a string"],
  ...Object.fromEntries(
    schemaKeywords.map((keyword) => [
      keyword,
      [(value: unknown) => isObject(value) || typeof value === "boolean", "a schema"],
    ]),
  ),
  ...Object.fromEntries(
    schemaListKeywords.map((keyword) => [
      keyword,
      [(value: unknown) => Array.isArray(value) && value.length > 0, "a non-empty list of schemas"],
    ]),
  ),
  ...Object.fromEntries(schemaMapKeywords.map((keyword) => [keyword, [isObject, "a map of schemas"]])),
};

/**
 * A schema keyword's value as the reading takes it: undefined where the schema has none, or one of
 * a type JSON Schema does not give the keyword (`enum: []`, `minLength: "3"`), which is not read.
 * For code that reads a schema as written, without `specReading`'s document (the samplers).
 */
export function readKeyword(schema: Record<string, unknown>, keyword: string): unknown {
  const value = schema[keyword];
  const check = keywordValues[keyword]?.[0];
  return check && !check(value) ? undefined : value;
}

/** Fields of the document around the schemas whose maps are keyed by names (see `readDocument`). */
const nameMaps = new Set(["paths", "webhooks", "responses", "content", "headers", "links", "encoding", "variables"]);
/** Fields that hold values, not schemas or their containers. */
const dataFields = new Set(["example", "examples", "default", "value", "enum"]);

/** The keys by which JSON Schema names a schema, wherever Ajv finds one in what it is given. */
const schemaNameKeys = ["$id", "$anchor", "$dynamicAnchor"];

/**
 * Whether a value (an example, an extension's) holds an object with a key that names a schema.
 * Ajv walks every field of the document it is given for schemas, data included, and takes such a key
 * as a schema's name: Box's metadata examples write `"$id": "01234500-..."` twice, and Ajv refused
 * the whole spec ("resolves to more than one schema"). Such a value is left out of the reading: data
 * is never compiled, and nothing else reads it from here.
 */
function namesSchemas(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(namesSchemas);
  if (!isObject(value)) return false;
  return schemaNameKeys.some((key) => key in value) || Object.values(value).some(namesSchemas);
}

/** A field of a schema, or of the document around it, that holds data Ajv would take for schemas. */
const dataNamingSchemas = (key: string, value: unknown) =>
  (key.startsWith("x-") || dataFields.has(key)) && namesSchemas(value);

const readings = new WeakMap<object, SpecReading>();

/**
 * What `generate` prints of an API's reading notes: a heading line, then per kind of guess its
 * first `perKind` places, each `file:line` where the spec's files say it (the bundled pointer
 * otherwise) with the note, and how many more of that kind. Empty where nothing was guessed.
 */
export function readingWarnings(api: Api, document: OpenAPI3, perKind = 3): string[] {
  const { notes } = specReading(document);
  if (notes.length === 0) return [];
  const whereIs = placeNamer(api);
  const byKind = new Map<string, ReadingNote[]>();
  for (const note of notes) byKind.set(note.kind, [...(byKind.get(note.kind) ?? []), note]);
  const specFile = repoRelative(api.specPath, api.root);
  const lines = [
    `Warning: ${api.id} (${specFile}): ${notes.length} schema place${notes.length === 1 ? "" : "s"} read by a guess; the validators, mocks and samples read ${notes.length === 1 ? "it" : "them"} as said, and the spec can say so outright:`,
  ];
  for (const [kind, ofKind] of byKind) {
    for (const { pointer, message } of ofKind.slice(0, perKind)) lines.push(`  ${whereIs(pointer)}: ${message}`);
    if (ofKind.length > perKind) lines.push(`  ... and ${ofKind.length - perKind} more (${kind})`);
  }
  return lines;
}

/**
 * Where a pointer of an API's bundled document is written, as the toolchain names a place:
 * `file:line (#pointer)` in the spec's own files, else `spec-file#pointer`.
 */
export function placeNamer(api: Api): (pointer: string) => string {
  const placeOf = placeFinder(api.specPath);
  const specFile = repoRelative(api.specPath, api.root);
  return (pointer) => {
    const place = placeOf(pointer);
    return place ? `${repoRelative(place.file, api.root)}:${place.line} (#${pointer})` : `${specFile}#${pointer}`;
  };
}

/** The spec's schemas as the toolchain reads them (see `SpecReading`); one reading per document object. */
export function specReading(document: OpenAPI3): SpecReading {
  const known = readings.get(document);
  if (known) return known;
  const reading = read(document);
  readings.set(document, reading);
  // The read document reads as itself.
  if (reading.document !== document) readAlready(reading.document, reading);
  return reading;
}

/**
 * Marks `copy`, a copy of `reading`'s document with its places kept (a validator's view of it, see
 * `directional`), as read already: its reading is itself, with the same notes and places.
 */
export function readAlready(copy: OpenAPI3, reading: SpecReading): void {
  readings.set(copy, { document: copy, notes: reading.notes, pointerOf: reading.pointerOf });
}

function read(document: OpenAPI3): SpecReading {
  const version30 = typeof document.openapi === "string" && document.openapi.startsWith("3.0");
  const notes: ReadingNote[] = [];
  /** Per schema that was wrapped or renamed, by its pointer in the spec's document: where each child went. */
  const movers = new Map<string, (segment: string) => string[]>();
  const note = (pointer: string, kind: string, message: string) => notes.push({ pointer, kind, message });
  const seen = new WeakMap<object, unknown>();
  const anchors = new Set<string>();

  const readSchema = (node: unknown, pointer: string): unknown => {
    if (!isObject(node)) return node;
    if (seen.has(node)) return seen.get(node);
    seen.set(node, node);
    let schema: Schema = node;
    const change = () => {
      if (schema === node) schema = { ...node };
      return schema;
    };

    // Children first: a reading here (a wrap) moves the read children along.
    for (const keyword of schemaKeywords) {
      const child = schema[keyword];
      if (isObject(child)) {
        const read = readSchema(child, `${pointer}/${keyword}`);
        if (read !== child) change()[keyword] = read;
      }
    }
    for (const keyword of ["items", ...schemaListKeywords]) {
      const list = schema[keyword];
      if (!Array.isArray(list)) continue;
      const read = list.map((child, index) => readSchema(child, `${pointer}/${keyword}/${index}`));
      if (read.some((child, index) => child !== list[index])) change()[keyword] = read;
    }
    for (const keyword of schemaMapKeywords) {
      const map = schema[keyword];
      if (!isObject(map)) continue;
      const read = Object.fromEntries(
        Object.entries(map).map(([name, child]) => [
          name,
          readSchema(child, `${pointer}${jsonPointer(keyword, name)}`),
        ]),
      );
      if (Object.keys(read).some((name) => read[name] !== map[name])) change()[keyword] = read;
    }

    const hasRef = typeof schema.$ref === "string";
    if (hasRef && "nullable" in schema) {
      if (schema.nullable === true)
        note(
          pointer,
          "nullable beside $ref",
          `\`nullable: true\` beside \`$ref\` is not read (openapi-typescript and Prism ignore it: the type is the $ref's, without null); write \`anyOf: [{ $ref }, { type: "null" }]\`${version30 ? ", or `allOf: [{ $ref }]` beside `nullable: true`" : ""}`,
        );
      delete change().nullable;
    }
    // A $ref's siblings in 3.0: ignored, as OpenAPI 3.0 says.
    if (hasRef && version30) {
      const ignored = Object.keys(schema).filter(
        (key) => key !== "$ref" && !key.startsWith("x-") && !annotations.has(key),
      );
      if (ignored.length > 0) {
        schema = Object.fromEntries(Object.entries(schema).filter(([key]) => !ignored.includes(key)));
        note(
          pointer,
          "siblings of a $ref in 3.0",
          `${ignored.map((key) => `\`${key}\``).join(", ")} beside \`$ref\` ignored: OpenAPI 3.0 ignores a $ref's siblings (so do openapi-typescript and Prism); to apply them write \`allOf: [{ $ref }, { ${ignored.join(", ")} }]\``,
        );
      }
    }

    // OpenAPI 3.0's boolean bounds.
    for (const [exclusive, inclusive] of [
      ["exclusiveMinimum", "minimum"],
      ["exclusiveMaximum", "maximum"],
    ] as const) {
      const flag = schema[exclusive];
      if (typeof flag !== "boolean") continue;
      const bound = schema[inclusive];
      const target = change();
      delete target[exclusive];
      if (flag && finiteNumber(bound)) {
        target[exclusive] = bound;
        delete target[inclusive];
      }
      if (flag && !finiteNumber(bound))
        note(
          pointer,
          "exclusive bound without a bound",
          `\`${exclusive}: true\` without \`${inclusive}\` bounds nothing: ignored; write \`${exclusive}: <number>\``,
        );
      else if (!version30)
        note(
          pointer,
          "boolean exclusive bound (3.0) in 3.1",
          `\`${exclusive}: ${flag}\` is OpenAPI 3.0's form in a 3.1 spec: read as 3.0 reads it (as Prism does)${flag ? `, \`${inclusive}\` exclusive` : ", no effect"}; write \`${exclusive}: <number>\`${flag ? ` instead of \`${inclusive}\`` : ""}`,
        );
    }

    // Patterns Ajv compiles with the `u` flag.
    if (typeof schema.pattern === "string") {
      const written = schema.pattern;
      const readPattern = unicodePattern(written);
      if (readPattern === undefined) {
        delete change().pattern;
        note(
          pointer,
          "pattern",
          `\`pattern: ${written}\` is no regular expression ECMAScript reads: not checked; fix the expression`,
        );
      } else if (readPattern !== written) change().pattern = readPattern;
    }
    if (isObject(schema.patternProperties)) {
      const entries = Object.entries(schema.patternProperties);
      const read = entries.flatMap(([key, child]): [string, unknown][] => {
        const readKey = unicodePattern(key);
        if (readKey === undefined) {
          note(
            pointer,
            "patternProperties key",
            `the \`patternProperties\` key \`${key}\` is no regular expression ECMAScript reads: not checked`,
          );
          return [];
        }
        return [[readKey, child]];
      });
      if (read.length !== entries.length || read.some(([key], index) => key !== entries[index]![0]))
        change().patternProperties = Object.fromEntries(read);
    }

    // `items` as a list: 2020-12's `prefixItems`.
    if (Array.isArray(schema.items)) {
      const target = change();
      target.prefixItems = target.items;
      delete target.items;
      if ("additionalItems" in target) {
        target.items = target.additionalItems;
        delete target.additionalItems;
      }
      movers.set(pointer, (segment) =>
        segment === "items" ? ["prefixItems"] : segment === "additionalItems" ? ["items"] : [segment],
      );
      note(
        pointer,
        "items as a list",
        "`items` as a list is not 2020-12's form: read as `prefixItems`; write `prefixItems`",
      );
    }

    // `type`: JSON Schema's names only.
    if ("type" in schema) {
      const types = [schema.type].flat();
      const valid = types.filter((type): type is string => typeof type === "string" && typeNames.has(type));
      if (valid.length !== types.length) {
        const target = change();
        if (valid.length === 0) delete target.type;
        else target.type = Array.isArray(target.type) ? valid : valid[0];
        const unknown = types.filter((type) => !valid.includes(type as string));
        note(
          pointer,
          "type name",
          `\`type\` ${unknown.map((type) => JSON.stringify(type)).join(", ")} names no JSON type: not read; use ${[...typeNames].join(", ")}`,
        );
      }
    }

    // Values of the wrong type: not read.
    for (const [keyword, [check, expected]] of Object.entries(keywordValues)) {
      if (!(keyword in schema) || check(schema[keyword])) continue;
      const value = schema[keyword];
      delete change()[keyword];
      note(
        pointer,
        "keyword value",
        keyword === "required" && typeof value === "boolean"
          ? `\`required: ${value}\` on a schema is not read: an object lists its required properties in its own \`required\`; move the name there`
          : `\`${keyword}: ${JSON.stringify(value)}\` is not ${expected}: not read; write ${expected}`,
      );
    }
    // An anchor names one schema of the document: a second of the same name is not read (Ajv throws on it).
    for (const keyword of ["$anchor", "$dynamicAnchor"]) {
      const anchor = schema[keyword];
      if (typeof anchor !== "string") continue;
      if (!anchors.has(anchor)) anchors.add(anchor);
      else {
        delete change()[keyword];
        note(
          pointer,
          "duplicate anchor",
          `\`${keyword}: ${anchor}\` names another schema already: not read; give each anchor its own name`,
        );
      }
    }
    for (const [key, value] of Object.entries(schema)) if (dataNamingSchemas(key, value)) delete change()[key];
    if ("$id" in schema) {
      delete change().$id;
      note(
        pointer,
        "$id",
        `\`$id\` not read: a spec's \`$ref\`s name places in the document (as openapi-typescript and Redocly read them), not URIs; remove it`,
      );
    }
    // `nullable`, last: the read schema may be wrapped.
    if ("nullable" in schema) {
      const nullable = schema.nullable;
      const target = change();
      delete target.nullable;
      if (nullable === true) {
        if ("type" in target) {
          const types = [target.type].flat();
          if (!types.includes("null")) target.type = [...types, "null"];
          if (Array.isArray(target.enum) && !target.enum.includes(null)) target.enum = [...target.enum, null];
          if ("const" in target) {
            target.enum = [target.const, null];
            delete target.const;
          }
          if (!version30)
            note(
              pointer,
              "nullable (3.0) in 3.1",
              `\`nullable\` is OpenAPI 3.0's keyword in a 3.1 spec: read as 3.0 reads it (null allowed, as Prism and openapi-typescript read it); write \`type: ${JSON.stringify([...types, "null"])}\``,
            );
        } else {
          // Null, else the schema: what openapi-typescript types as `T | null`. Its direction stays on it.
          schema = { if: { type: "null" }, else: target };
          for (const keyword of ["readOnly", "writeOnly"]) if (keyword in target) schema[keyword] = target[keyword];
          movers.set(pointer, (segment) => ["else", segment]);
          note(
            pointer,
            "nullable without type",
            `\`nullable: true\` without \`type\`: read as null or the schema, as openapi-typescript types it (OpenAPI 3.0.3 gives it no effect); add the \`type\`, or write \`anyOf: [..., { type: "null" }]\``,
          );
        }
      } else if (nullable !== false)
        note(pointer, "nullable value", `\`nullable: ${JSON.stringify(nullable)}\` is not true or false: not read`);
    }
    seen.set(node, schema);
    return schema;
  };

  /**
   * The document around the schemas: every `schema` of a parameter, header or media type and every
   * component schema read; examples and extensions left as data. `names` says the node's keys are
   * names (paths, statuses, media types, components), not fields: a parameter named `schema` is
   * no schema; `names: 2` a map of such maps (callbacks).
   */
  const readDocument = (node: unknown, pointer: string, names: 0 | 1 | 2 = 0): unknown => {
    if (Array.isArray(node)) {
      const read = node.map((child, index) => readDocument(child, `${pointer}/${index}`));
      return read.some((child, index) => child !== node[index]) ? read : node;
    }
    if (!isObject(node)) return node;
    let copy: Schema | undefined;
    for (const [key, child] of Object.entries(node)) {
      const here = `${pointer}${jsonPointer(key)}`;
      let read: unknown;
      // A name (a header's, `x-request-id`) is no extension.
      if (names > 0) read = readDocument(child, here, names === 2 ? 1 : 0);
      else if (dataNamingSchemas(key, child)) read = undefined;
      else if (key.startsWith("x-") || dataFields.has(key)) continue;
      else if (key === "schema") read = readSchema(child, here);
      else if (pointer === "/components")
        read =
          key === "schemas" ? readNamedSchemas(child, here) : readDocument(child, here, key === "callbacks" ? 2 : 1);
      else read = readDocument(child, here, key === "callbacks" ? 2 : nameMaps.has(key) ? 1 : 0);
      if (read !== child) {
        copy ??= { ...node };
        if (read === undefined) delete copy[key];
        else copy[key] = read;
      }
    }
    return copy ?? node;
  };

  const readNamedSchemas = (node: unknown, pointer: string): unknown => {
    if (!isObject(node)) return node;
    const read = Object.fromEntries(
      Object.entries(node).map(([name, child]) => [name, readSchema(child, `${pointer}${jsonPointer(name)}`)]),
    );
    return Object.keys(read).some((name) => read[name] !== node[name]) ? read : node;
  };

  const pointerOf = (pointer: string): string => {
    if (movers.size === 0) return pointer;
    const segments = pointerSegments(pointer);
    const out: string[] = [];
    let original = "";
    for (const segment of segments) {
      const mover = movers.get(original);
      out.push(...(mover ? mover(segment) : [segment]));
      original += jsonPointer(segment);
    }
    return jsonPointer(...out);
  };

  let readDocumentValue = readDocument(document, "") as OpenAPI3;
  if (movers.size > 0) readDocumentValue = withRefsMoved(readDocumentValue, pointerOf) as OpenAPI3;
  return { document: readDocumentValue, notes, pointerOf };
}

/** The document with every local `$ref` into a moved schema pointing where its target went. */
function withRefsMoved(node: unknown, pointerOf: (pointer: string) => string): unknown {
  if (Array.isArray(node)) {
    const read = node.map((child) => withRefsMoved(child, pointerOf));
    return read.some((child, index) => child !== node[index]) ? read : node;
  }
  if (!isObject(node)) return node;
  let copy: Schema | undefined;
  for (const [key, child] of Object.entries(node)) {
    if (key.startsWith("x-") || key === "example" || key === "examples" || key === "default" || key === "value")
      continue;
    const read =
      key === "$ref" && typeof child === "string" && child.startsWith("#/")
        ? `#${pointerOf(child.slice(1))}`
        : withRefsMoved(child, pointerOf);
    if (read !== child) {
      copy ??= { ...node };
      copy[key] = read;
    }
  }
  return copy ?? node;
}
