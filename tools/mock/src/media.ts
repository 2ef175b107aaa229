/**
 * An answer's body in the media type it is labelled with. Prism hands every body over as a value
 * (an example, or one generated from the schema), whatever the media type: JSON goes as JSON,
 * XML is written from the value by the schema's `xml` hints, and a binary type gets a file.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { eventStreamText } from "@contracts/client-core/mock";
import { exactIntegerText } from "@contracts/prism";
import { essence, eventDataSchemaOf, eventSchemaOf, isBinary, isXml, minimalFile, resolveRef } from "@contracts/spec";
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import type { MediaTypeObject, OpenAPI3, ReferenceObject, SchemaObject } from "openapi-typescript";

/** The XML object of a schema (OpenAPI's `xml`): how its value is named and placed. */
interface XmlHints {
  name?: string;
  namespace?: string;
  prefix?: string;
  attribute?: boolean;
  wrapped?: boolean;
}

/** The parts of a schema that place a value in XML. */
interface XmlSchema {
  xml?: XmlHints;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}
type Schema = XmlSchema | ReferenceObject | undefined;

const resolved = (document: OpenAPI3, schema: Schema): XmlSchema =>
  schema ? resolveRef<XmlSchema>(document, schema) : {};

/**
 * The schema with its `allOf` members folded in: their hints, properties (one declared by
 * several is all of them) and items, the schema's own last. A wrapper component often gives
 * the name and the member beside it the list's hints.
 */
function merged(document: OpenAPI3, schema: Schema): XmlSchema {
  const own = resolved(document, schema);
  const parts = [...(own.allOf ?? []).map((member) => merged(document, member)), { ...own, allOf: undefined }];
  const properties: Record<string, Schema> = {};
  for (const part of parts)
    for (const [key, value] of Object.entries(part.properties ?? {}))
      properties[key] = properties[key] ? { allOf: [properties[key], value] } : value;
  return {
    xml: Object.assign({}, ...parts.map((part) => part.xml)),
    properties,
    items: [...parts].reverse().find((part) => part.items)?.items,
    oneOf: own.oneOf,
    anyOf: own.anyOf,
  };
}

/** The schema of a property of an object schema, looked for through `allOf`, `oneOf` and `anyOf`. */
function propertySchema(document: OpenAPI3, schema: Schema, key: string): Schema {
  const { properties, oneOf = [], anyOf = [] } = merged(document, schema);
  if (properties?.[key]) return properties[key];
  for (const member of [...oneOf, ...anyOf]) {
    const found = propertySchema(document, member, key);
    if (found) return found;
  }
  return undefined;
}

type XmlNode = Record<string, unknown>;

const hintsOf = (document: OpenAPI3, schema: Schema): XmlHints => merged(document, schema).xml ?? {};

/** The name of a component a schema refers to, if it is a `$ref`. */
const componentName = (schema: Schema) => (schema && "$ref" in schema ? schema.$ref.split("/").at(-1) : undefined);

/** One value as XML builder nodes named `name` unless its schema names them (several for an unwrapped list). */
function xmlNodes(document: OpenAPI3, value: unknown, schema: Schema, name: string): XmlNode {
  const hints = hintsOf(document, schema);
  const element = hints.prefix ? `${hints.prefix}:${hints.name ?? name}` : (hints.name ?? name);
  const namespace = hints.namespace ? { [`@_xmlns${hints.prefix ? `:${hints.prefix}` : ""}`]: hints.namespace } : {};
  if (Array.isArray(value)) {
    const { items } = merged(document, schema);
    const itemName = hintsOf(document, items).name ?? element;
    const children = value.map((item) => xmlNodes(document, item, items, itemName)[itemName]);
    return hints.wrapped ? { [element]: { ...namespace, [itemName]: children } } : { [itemName]: children };
  }
  if (typeof value === "object" && value !== null) {
    const content: XmlNode = { ...namespace };
    for (const [key, item] of Object.entries(value)) {
      const itemSchema = propertySchema(document, schema, key);
      const itemHints = hintsOf(document, itemSchema);
      if (itemHints.attribute) content[`@_${itemHints.name ?? key}`] = item;
      else Object.assign(content, xmlNodes(document, item, itemSchema, key));
    }
    return { [element]: content };
  }
  return { [element]: hints.namespace ? { ...namespace, "#text": value } : value };
}

const xmlBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_" });

/**
 * A value as an XML document, as OpenAPI's XML object describes it: element names from `xml.name`,
 * else the property's name (the root's: its component's, else `root`), attributes, wrapped lists
 * and namespaces. A list at the root is wrapped, its items named by their component: a document
 * has one root element.
 */
export function toXml(
  document: OpenAPI3,
  value: unknown,
  documented: SchemaObject | ReferenceObject | undefined,
): string {
  const schema = documented as Schema;
  const root = componentName(schema) ?? "root";
  const { items } = merged(document, schema);
  const asDocument: Schema = Array.isArray(value)
    ? {
        xml: { name: root, ...hintsOf(document, schema), wrapped: true },
        items: {
          ...resolved(document, items),
          xml: { name: componentName(items) ?? "item", ...hintsOf(document, items) },
        },
      }
    : schema;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xmlBuilder.build(xmlNodes(document, value, asDocument, root))}`;
}

/** The JSON type a schema gives its value, through `allOf`; undefined when it names none. */
function typeOf(document: OpenAPI3, schema: Schema): string | undefined {
  const own = resolved(document, schema) as XmlSchema & { type?: unknown };
  const type = [own.type].flat().find((name) => typeof name === "string" && name !== "null") as string | undefined;
  return type ?? own.allOf?.map((member) => typeOf(document, member)).find(Boolean);
}

/** An element's text (an element with attributes has it under `#text`) as the schema's type: XML has only strings. */
function scalarOf(document: OpenAPI3, node: unknown, schema: Schema): unknown {
  const text = typeof node === "object" && node !== null ? (node as XmlNode)["#text"] : node;
  if (text === undefined) return "";
  const type = typeOf(document, schema);
  if ((type === "integer" || type === "number") && String(text).trim() !== "" && !Number.isNaN(Number(text)))
    return Number(exactIntegerText(String(text)));
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  return String(text);
}

const listOf = (node: unknown): unknown[] => (node === undefined ? [] : [node].flat());

/**
 * The value an XML element stands for, read as `toXml` writes it: properties from child elements
 * or attributes named by their `xml` hints, lists wrapped or repeated, scalars typed by the schema.
 */
function elementValue(document: OpenAPI3, node: unknown, schema: Schema, name: string): unknown {
  const type = typeOf(document, schema);
  const { properties = {}, items } = merged(document, schema);
  if (type === "array") {
    const itemName = hintsOf(document, items).name ?? name;
    const children = hintsOf(document, schema).wrapped ? (node as XmlNode | undefined)?.[itemName] : node;
    return listOf(children).map((child) => elementValue(document, child, items, itemName));
  }
  if (type !== "object" && Object.keys(properties).length === 0) return scalarOf(document, node, schema);
  // Text where the schema wants elements stays text, which the validators then refuse; an empty element is an empty object.
  if (typeof node !== "object" || node === null) return node === "" || node === undefined ? {} : node;
  const element = node as XmlNode;
  const value: Record<string, unknown> = {};
  for (const [key, propertySchema] of Object.entries(properties)) {
    const hints = hintsOf(document, propertySchema);
    const propertyName = hints.name ?? key;
    const isList = typeOf(document, propertySchema) === "array";
    const unwrappedList = isList && !hints.wrapped;
    const childName = unwrappedList
      ? (hintsOf(document, merged(document, propertySchema).items).name ?? propertyName)
      : propertyName;
    const child = hints.attribute ? element[`@_${propertyName}`] : element[childName];
    if (child !== undefined) value[key] = elementValue(document, child, propertySchema, propertyName);
  }
  return value;
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
});

/**
 * An XML request body as the value its schema describes (the inverse of `toXml`), for the
 * validators, which check values; throws with the parser's words on text that is not XML.
 */
export function fromXml(
  document: OpenAPI3,
  text: string,
  documented: SchemaObject | ReferenceObject | undefined,
): unknown {
  const validity = XMLValidator.validate(text);
  if (validity !== true) throw new Error(`${validity.err.msg} (line ${validity.err.line})`);
  const parsed = xmlParser.parse(text) as XmlNode;
  const [root] = Object.keys(parsed).filter((key) => !key.startsWith("?"));
  const schema = documented as Schema;
  if (root === undefined) return undefined;
  if (typeOf(document, schema) !== "array") return elementValue(document, parsed[root], schema, root);
  // A list at the root is wrapped (see toXml): its items are the root's children.
  const { items } = merged(document, schema);
  const children = Object.entries(parsed[root] as XmlNode).filter(([key]) => !key.startsWith("@_"));
  return children.flatMap(([itemName, child]) =>
    listOf(child).map((item) => elementValue(document, item, items, itemName)),
  );
}

/** An example's `externalValue` read from a file beside the spec; undefined for a URL or a file not there. */
async function externalFile(externalValue: string | undefined, specFolder: string): Promise<Buffer | undefined> {
  if (!externalValue || /^[a-z][a-z0-9+.-]*:/i.test(externalValue)) return undefined;
  return readFile(path.resolve(specFolder, decodeURIComponent(externalValue))).catch(() => undefined);
}

/** Where the body goes: the document, the spec's folder, and the response's media type object it answers with. */
export interface BodyContext {
  document: OpenAPI3;
  specFolder: string;
  mediaType: string;
  media: MediaTypeObject | undefined;
  /**
   * The same media type object in the spec's file as written: the bundle has put each
   * `externalValue` file's text in its example's `value`, which loses a binary file's bytes.
   */
  written: () => { document: OpenAPI3; media: MediaTypeObject | undefined };
  /** The example `Prefer` asked for, if any. */
  exampleKey?: string;
}

/**
 * The bytes or text to send for `value` labelled `mediaType`: JSON as it is (sent as JSON), a
 * string in any text or XML type as written, any other value in an XML type written as XML, and
 * for a binary type the file of the example's `externalValue` beside the spec, else the
 * smallest valid file of that type; an event stream as SSE text (`eventStreamText`, as the MSW
 * handlers write it).
 */
export async function renderBody(value: unknown, context: BodyContext): Promise<unknown> {
  const { document, mediaType, media, written } = context;
  if (isBinary(mediaType)) {
    const asWritten = written();
    const examples = asWritten.media?.examples ?? {};
    const example = examples[context.exampleKey ?? Object.keys(examples)[0] ?? ""];
    const external = example && resolveRef(asWritten.document, example).externalValue;
    return (await externalFile(external, context.specFolder)) ?? minimalFile(mediaType);
  }
  if (isXml(mediaType) && typeof value !== "string" && value !== undefined)
    return toXml(document, value, media?.schema);
  if (essence(mediaType) === "text/event-stream" && value !== undefined)
    return eventStreamText(value, eventDataSchemaOf(document, eventSchemaOf(media)) !== undefined);
  return value;
}
