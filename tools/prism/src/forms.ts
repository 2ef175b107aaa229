/**
 * Form bodies as Prism 5.16 reads them. Prism splits a `multipart/form-data` or
 * `application/x-www-form-urlencoded` body into one text per field name: a repeated field (an
 * array, as OpenAPI writes one by default) keeps only its last value, an object field stays its
 * JSON text, and a comma in a field is refused as a reserved character, so array and object fields
 * are refused whatever their `encoding`. This module decodes a form body by its schema and its
 * `encoding` instead and hands Prism the object, as JSON of a media type of its own (`formAsJson`)
 * that the operation is described with.
 */
import { essence, listDelimiters, styleOf } from "@contracts/spec";
import type { IHttpRequest } from "@stoplight/prism-http";
import type { IHttpOperation, IMediaTypeContent } from "@stoplight/types";
import { exactIntegerText, parseJson } from "./integers.ts";

const formTypes = ["multipart/form-data", "application/x-www-form-urlencoded"];

/** The JSON media type a form of `mediaType` reaches Prism as: `application/vnd.contracts.form-data+json`. */
const formAsJson = (mediaType: string) => `application/vnd.contracts.${mediaType.split("/")[1]}+json`;

const isForm = (content: IMediaTypeContent) => formTypes.includes(content.mediaType.toLowerCase());

/** The operation with each such form described as its JSON media type (see `formAsJson`). */
export function readableForms(operation: IHttpOperation): IHttpOperation {
  const body = operation.request?.body;
  if (!body?.contents?.some(isForm)) return operation;
  const contents = body.contents.map((content) =>
    isForm(content) ? { ...content, mediaType: formAsJson(content.mediaType) } : content,
  );
  return { ...operation, request: { ...operation.request, body: { ...body, contents } } };
}

type Schema = {
  type?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

/**
 * The JSON types a schema takes: its `type`, and its `anyOf` and `oneOf` members' (OpenAI's
 * `stream: { anyOf: [{ type: boolean }, { type: null }] }`, whose `false` stayed text and was refused).
 */
function typesOf(schema: Schema | undefined): unknown[] {
  const members = [...(schema?.anyOf ?? []), ...(schema?.oneOf ?? [])];
  return [schema?.type, ...members.flatMap(typesOf)].flat();
}

/** A field's text as its schema's types read it: numbers, booleans and JSON (objects, arrays of them) parsed where they parse. */
function typed(text: string, schema: Schema | undefined): unknown {
  const types = typesOf(schema);
  if ((types.includes("integer") || types.includes("number")) && text.trim() !== "" && !Number.isNaN(Number(text)))
    return Number(exactIntegerText(text));
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  if (types.includes("object") || types.includes("array")) {
    try {
      return parseJson(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A form body that does not parse as the form its `Content-Type` names (no boundary, a malformed part). */
export class UnreadableForm extends Error {
  constructor(mediaType: string, cause: unknown) {
    super(`request body is not valid ${mediaType}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "UnreadableForm";
  }
}

/**
 * Each field's values, in order, by name: a multipart body read by the platform's own form parser
 * (Prism's throws on a file part without a `Content-Type`, which RFC 7578 allows), its files as
 * their bytes, one character each (the body arrives as such a string; see `parseBody`).
 */
async function fieldsOf(text: string, contentType: string, mediaType: string): Promise<Map<string, string[]>> {
  const fields = new Map<string, string[]>();
  const add = (name: string, value: string) => fields.set(name, [...(fields.get(name) ?? []), value]);
  if (mediaType !== "multipart/form-data") {
    for (const [name, value] of new URLSearchParams(text)) add(name, value);
    return fields;
  }
  const bytes = Buffer.from(text, "latin1");
  const form = await new Response(bytes, { headers: { "content-type": contentType } })
    .formData()
    .catch((error: unknown) => {
      throw new UnreadableForm(mediaType, error);
    });
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => {
    entries.push([name, value]);
  });
  for (const [name, value] of entries)
    add(name, typeof value === "string" ? value : Buffer.from(await value.arrayBuffer()).toString("latin1"));
  return fields;
}

type Encoding = NonNullable<IMediaTypeContent["encodings"]>[number];

/**
 * One property's value from the fields, as its `encoding` writes it (OpenAPI's default: a list as
 * repeated fields, an object as its JSON), and the fields it took.
 */
function propertyValue(
  name: string,
  schema: Schema | undefined,
  encoding: Encoding | undefined,
  fields: Map<string, string[]>,
): { value: unknown; taken: string[] } | undefined {
  const types = typesOf(schema);
  const { style, explode } = styleOf({ in: "query", ...encoding });
  const members = Object.keys(schema?.properties ?? {});
  if (types.includes("object") && (style === "deepObject" || (encoding?.style && explode))) {
    const names = members.map((member) => [member, style === "deepObject" ? `${name}[${member}]` : member] as const);
    const present = names.filter(([, field]) => fields.has(field));
    if (present.length === 0) return undefined;
    const value = Object.fromEntries(
      present.map(([member, field]) => [member, typed(fields.get(field)!.at(-1)!, schema?.properties?.[member])]),
    );
    return { value, taken: present.map(([, field]) => field) };
  }
  const values = fields.get(name);
  if (values === undefined) return undefined;
  const last = values.at(-1)!;
  const split = () => last.split(listDelimiters[style] ?? ",");
  if (types.includes("array")) {
    const items = encoding?.style && !(style === "form" && explode) ? split() : values;
    return { value: items.map((text) => typed(text, schema?.items)), taken: [name] };
  }
  if (types.includes("object") && encoding?.style) {
    const list = split();
    const value = Object.fromEntries(
      list.flatMap((member, index) =>
        index % 2 === 0 ? [[member, typed(list[index + 1] ?? "", schema?.properties?.[member])]] : [],
      ),
    );
    return { value, taken: [name] };
  }
  return { value: typed(last, schema), taken: [name] };
}

/**
 * The request with a form body decoded by its schema and `encoding` where the operation describes
 * that form as JSON (see `readableForms`): lists, objects, numbers and booleans from their text;
 * fields the schema does not name stay text. A body that is not the form it claims rejects with
 * UnreadableForm.
 */
export async function readableFormRequest(
  request: IHttpRequest,
  operation: IHttpOperation | undefined,
): Promise<IHttpRequest> {
  const contentType = request.headers?.["content-type"] ?? "";
  const mediaType = essence(contentType);
  const content = operation?.request?.body?.contents?.find(
    (candidate) => candidate.mediaType === formAsJson(mediaType),
  );
  if (!content || typeof request.body !== "string") return request;
  const fields = await fieldsOf(request.body, contentType, mediaType);
  const properties = (content.schema as Schema | undefined)?.properties ?? {};
  const body: Record<string, unknown> = {};
  const taken = new Set<string>();
  for (const [name, schema] of Object.entries(properties)) {
    const encoding = content.encodings?.find((candidate) => candidate.property === name);
    const found = propertyValue(name, schema, encoding, fields);
    if (!found) continue;
    body[name] = found.value;
    for (const field of found.taken) taken.add(field);
  }
  for (const [name, values] of fields) if (!taken.has(name)) body[name] = values.length === 1 ? values[0] : values;
  return { ...request, headers: { ...request.headers, "content-type": formAsJson(mediaType) }, body };
}
