// Which operations page, and how: the spec's `x-pagination` where it says, else what its list answer
// makes unambiguous. Codegen writes it into each client (its `paginate` entries) and the MSW
// handlers; the Prism mock's front reads it here: so every tool pages one operation alike.
import type { OpenAPI3, ReferenceObject, ResponseObject, SchemaObject } from "openapi-typescript";
import type { Pagination } from "../../../packages/client-core/src/pagination.ts";
import type { Api } from "./apis.ts";
import { schemaExample } from "./example-call.ts";
import { type Operation, parametersOf } from "./operations.ts";
import { jsonPointer, pointerSegments, resolvedOrNone, resolveRef } from "./pointers.ts";

export type { Pagination };

/** A cursor field of a list answer and the query parameter that takes it back, as APIs name them. */
const cursorPairs: [field: string, param: string][] = [
  ["next_cursor", "cursor"],
  ["nextCursor", "cursor"],
  ["next_page_token", "page_token"],
  ["nextPageToken", "pageToken"],
  ["last_id", "after"], // OpenAI
];
const hasMoreFields = ["has_more", "hasMore"];
const nextLinkFields = ["next", "next_url", "next_page_url", "next_page_uri"];

type Schema = SchemaObject | ReferenceObject | undefined;
// Detection only looks: a `$ref` that leads nowhere is lint's to refuse (`resolvedOrNone`).
const typeOf = (document: OpenAPI3, schema: Schema) => {
  const resolved = resolvedOrNone(document, schema);
  return resolved && [resolved.type].flat();
};
const isType = (document: OpenAPI3, schema: Schema, type: string) => typeOf(document, schema)?.includes(type as never);
const propertiesOf = (document: OpenAPI3, schema: Schema): Record<string, Schema> =>
  (resolvedOrNone(document, schema) as { properties?: Record<string, Schema> } | undefined)?.properties ?? {};
/** The schema of the value at a JSON pointer into a body of `schema`: a property's, or an array's items'. */
const schemaAt = (document: OpenAPI3, schema: Schema, pointer: string): Schema =>
  pointerSegments(pointer).reduce<Schema>(
    (outer, segment) =>
      isType(document, outer, "array")
        ? (resolvedOrNone(document, outer) as { items?: Schema }).items
        : propertiesOf(document, outer)[segment],
    schema,
  );

/** The lowest 2xx response's JSON schema (resolved) and whether it documents a `Link` header. */
function listAnswer(document: OpenAPI3, operation: Operation) {
  const [status] = Object.keys(operation.object.responses ?? {})
    .filter((code) => /^2\d\d$/.test(code))
    .sort();
  if (status === undefined) return undefined;
  const response: ResponseObject = resolveRef(document, operation.object.responses![status]!);
  const content = response.content?.["application/json"];
  if (!content?.schema) return undefined;
  const linkHeader = Object.keys(response.headers ?? {}).some((name) => name.toLowerCase() === "link");
  return { schema: resolveRef(document, content.schema), linkHeader };
}

const queryNames = (document: OpenAPI3, operation: Operation) =>
  new Set(
    parametersOf(document, operation)
      .filter(({ object }) => object.in === "query")
      .map(({ object }) => object.name),
  );

/**
 * The pagination a spec makes unambiguous: a GET whose 2xx JSON body is an array with a `Link`
 * header documented, or an object with one array property and one of: a cursor field the operation
 * takes back as a query parameter (`next_cursor`/`cursor`, `last_id`/`after`, ..., with
 * `has_more` where present), or a next-link field (`next`, `next_page_uri`, ...). Else none.
 */
function detected(document: OpenAPI3, operation: Operation): Pagination | undefined {
  const answer = operation.method === "get" ? listAnswer(document, operation) : undefined;
  if (!answer) return undefined;
  const { schema, linkHeader } = answer;
  if (isType(document, schema, "array")) return linkHeader ? { style: "link-header", items: "" } : undefined;
  const properties = Object.entries(propertiesOf(document, schema));
  const arrays = properties.filter(([, property]) => isType(document, property, "array"));
  if (arrays.length !== 1) return undefined;
  const items = jsonPointer(arrays[0]![0]);
  const has = (name: string) => properties.some(([property]) => property === name);
  const query = queryNames(document, operation);
  const hasMore = hasMoreFields.find(has);
  const found: Pagination[] = [
    ...cursorPairs
      .filter(([field, param]) => has(field) && query.has(param))
      .map(
        ([field, param]): Pagination => ({
          style: "cursor",
          cursorParam: param,
          nextCursor: jsonPointer(field),
          ...(hasMore && { hasMore: jsonPointer(hasMore) }),
          items,
        }),
      ),
    ...nextLinkFields.filter(has).map((field): Pagination => ({ style: "next-link", next: jsonPointer(field), items })),
  ];
  return found.length === 1 ? found[0] : undefined;
}

const isPointer = (value: unknown) => typeof value === "string" && (value === "" || value.startsWith("/"));

/** A written `x-pagination` as client-core's `Pagination`, or the problem with it. */
function declared(value: unknown, where: string): Pagination {
  const fail = (problem: string) => new Error(`${where}: x-pagination ${problem}`);
  if (typeof value !== "object" || value === null) throw fail("is an object (or false, on an operation)");
  const { style, cursorParam, nextCursor, hasMore, next, items = "" } = value as Record<string, unknown>;
  if (!isPointer(items)) throw fail("items is a JSON pointer into the body (`/data`, or `` for the body)");
  const pointers = (names: Record<string, unknown>) => {
    for (const [name, pointer] of Object.entries(names))
      if (!isPointer(pointer)) throw fail(`${name} is a JSON pointer into the body (\`/${name}\`)`);
  };
  switch (style) {
    case "cursor":
      if (typeof cursorParam !== "string") throw fail("cursorParam names the query parameter the cursor goes back in");
      pointers({ nextCursor, ...(hasMore !== undefined && { hasMore }) });
      return {
        style,
        cursorParam,
        nextCursor: nextCursor as string,
        ...(hasMore !== undefined && { hasMore: hasMore as string }),
        items: items as string,
      };
    case "next-link":
      pointers({ next });
      return { style, next: next as string, items: items as string };
    case "link-header":
      return { style, items: items as string };
    default:
      throw fail(`style is cursor, next-link or link-header, not ${JSON.stringify(style)}`);
  }
}

/**
 * How an operation pages, if it does: its own `x-pagination` (`false`: it does not); else the
 * document's `x-pagination`, or else its registry entry's (`api.pagination`: for a vendor's spec
 * kept as published), the API's one way of paging, where it fits (see `fits`); else what the spec
 * makes unambiguous (see `detected`). A malformed declaration throws, naming its place. A cursor
 * carries a sample of its form where its schema asks for one (see `withCursorSample`).
 */
export function paginationOf(
  document: OpenAPI3,
  operation: Operation,
  api?: Pick<Api, "id" | "pagination">,
): Pagination | undefined {
  const found = ownOrShared(document, operation, api);
  return found?.style === "cursor" ? withCursorSample(document, operation, found) : found;
}

/** The pagination `paginationOf` describes, before the cursor's sample. */
function ownOrShared(document: OpenAPI3, operation: Operation, api?: Pick<Api, "id" | "pagination">) {
  const own = (operation.object as { "x-pagination"?: unknown })["x-pagination"];
  if (own === false) return undefined;
  if (own !== undefined) return declared(own, `#${operation.pointer}`);
  const written = (document as { "x-pagination"?: unknown })["x-pagination"];
  const shared = written ?? api?.pagination;
  const pagination =
    shared === undefined ? undefined : declared(shared, written === undefined ? `redocly.yaml apis.${api!.id}` : "#");
  return (pagination && fits(document, operation, pagination)) || detected(document, operation);
}

/**
 * The cursor pagination with a sample of its cursor where the cursor's schema asks for a form (a
 * string with a format, pattern or minimum length: DigitalOcean's `last_id` is a uuid), so the mocks
 * write each page's cursor in that form; a bare string or a number takes the page number as it is.
 */
function withCursorSample(
  document: OpenAPI3,
  operation: Operation,
  pagination: Pagination & { style: "cursor" },
): Pagination {
  const schema = schemaAt(document, listAnswer(document, operation)?.schema, pagination.nextCursor);
  const form = resolvedOrNone(document, schema) as
    | { format?: string; pattern?: string; minLength?: number }
    | undefined;
  const formed = isType(document, schema, "string") && (form?.format || form?.pattern || form?.minLength);
  const sample = formed ? schemaExample(document, schema!) : undefined;
  return typeof sample === "string" ? { ...pagination, cursorSample: sample } : pagination;
}

/** Whether the API's one way of paging fits an operation: a GET whose 2xx body has a list at its `items` (and takes its cursor). */
function fits(document: OpenAPI3, operation: Operation, pagination: Pagination): Pagination | undefined {
  const answer = operation.method === "get" ? listAnswer(document, operation) : undefined;
  if (!answer) return undefined;
  const list = schemaAt(document, answer.schema, pagination.items);
  const takesCursor = pagination.style !== "cursor" || queryNames(document, operation).has(pagination.cursorParam);
  return isType(document, list, "array") && takesCursor ? pagination : undefined;
}
