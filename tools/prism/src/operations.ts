import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  type Api,
  operationsOf,
  repoRelative,
  SpecError,
  schemaExample,
  simpleText,
  templateSent,
} from "@contracts/spec";
import { getHttpOperationsFromSpec, type IHttpRequest } from "@stoplight/prism-http";
import type { IHttpOperation } from "@stoplight/types";
import type { OpenAPI3 } from "openapi-typescript";
import { readableForms } from "./forms.ts";
import { int64Bounds } from "./integers.ts";
import { readableParameters } from "./parameters.ts";
import { type PrismDocument, prismDocument, restoreExampleValues } from "./prism-document.ts";

/** A schema as Prism's spec reader leaves it: the keywords the spec wrote are listed under `x-stoplight`. */
interface PrismSchema {
  format?: unknown;
  minimum?: number;
  maximum?: number;
  "x-stoplight"?: { explicitProperties?: string[] };
}

/**
 * Every `int64` under `node` given `bounds` where the spec writes none of its own, in place (the
 * operations are Prism's own copy): a request's int64's range (see integers.ts), a response's none,
 * so that a body sampled from a schema takes 0, not a bound, which JSON prints as 9223372036854776000.
 */
function withInt64Bounds(node: unknown, bounds: { minimum?: number; maximum?: number }, seen = new Set<unknown>()) {
  if (typeof node !== "object" || node === null || seen.has(node)) return;
  seen.add(node);
  const schema = node as PrismSchema;
  if (schema.format === "int64") {
    const written = schema["x-stoplight"]?.explicitProperties ?? [];
    for (const bound of ["minimum", "maximum"] as const) {
      if (written.includes(bound)) continue;
      if (bounds[bound] === undefined) delete schema[bound];
      else schema[bound] = bounds[bound];
    }
  }
  for (const value of Object.values(node)) withInt64Bounds(value, bounds, seen);
}

/**
 * Each response header the spec gives no example of, and whose schema takes more than strings and
 * numbers, given one: a value sampled from its schema (`schemaExample`), written in the header's
 * simple style (`true`, `1,2`, `a,1`), in place. Prism's mocker keeps a header value it generates only
 * when it is a string or a number: a boolean went out as the text `null`, which its schema refuses
 * (Twilio's Access-Control-Allow-Credentials), and an array or object header's `null` threw from
 * Prism's own check of the answer, a 500 on every call.
 */
function withHeaderExamples(operation: IHttpOperation, document: OpenAPI3) {
  for (const header of operation.responses.flatMap((response) => response.headers ?? [])) {
    const types = [header.schema?.type ?? []].flat();
    if (header.examples?.length || types.every((type) => ["string", "number", "integer"].includes(type))) continue;
    const value = schemaExample(document, header.schema as never);
    if (value !== undefined && value !== null)
      header.examples = [
        { id: `${header.id}-sampled`, key: "__default", value: simpleText(header.name, value, header.explode) },
      ];
  }
}

/** Prism's view of one operation as Prism built it, with what the adapter adds (see parameters.ts, forms.ts). */
function adapted(operation: IHttpOperation, own: PrismDocument): IHttpOperation {
  restoreExampleValues(operation, own);
  withInt64Bounds(operation.request, int64Bounds);
  withInt64Bounds(operation.responses, {});
  withHeaderExamples(operation, own.document as OpenAPI3);
  return readableParameters(readableForms(withAnswer(operation)));
}

/**
 * The document as Prism is handed it (prism-document.ts), once checked: a `$ref` to a URL outside
 * example values, or to another file that is not there, makes it a SpecError naming the place and
 * the fix; so does a document without paths.
 */
async function checkedDocument(api: Api, document: OpenAPI3): Promise<PrismDocument> {
  const own = prismDocument(document, path.dirname(api.specPath));
  const spec = repoRelative(api.specPath, api.root);
  if (own.urlRefs.length > 0)
    throw new SpecError(
      api,
      own.urlRefs.map(
        ({ pointer, ref }) =>
          `${spec}#${pointer}: the $ref ${ref} names a URL, and the mocks fetch nothing; save a copy of it beside the spec and $ref that file instead`,
      ),
    );
  const readable = new Map<string, Promise<boolean>>();
  const canRead = (file: string) =>
    readable.get(file) ??
    readable
      .set(
        file,
        access(file, constants.R_OK).then(
          () => true,
          () => false,
        ),
      )
      .get(file)!;
  const missing = (await Promise.all(own.fileRefs.map(async (ref) => ((await canRead(ref.file)) ? [] : [ref])))).flat();
  if (missing.length > 0)
    throw new SpecError(
      api,
      missing.map(
        ({ pointer, ref, file }) =>
          `${spec}#${pointer}: the $ref ${ref} names ${repoRelative(file, api.root)}, which cannot be read; add the file or correct the $ref`,
      ),
    );
  if (operationsOf(document).length === 0)
    throw new SpecError(api, ["the spec has no paths to serve (a spec of webhooks alone has no operation to mock)"]);
  return own;
}

/** Prism's reading of a document: its own `getHttpOperationsFromSpec`; a failure is a SpecError. */
async function prismRead(api: Api, document: unknown): Promise<IHttpOperation[]> {
  return getHttpOperationsFromSpec(document as OpenAPI3).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new SpecError(api, [`Prism cannot load the spec: ${message}`]);
  });
}

/**
 * Prism's view of the operations of a document `loadSpec` returned (linted and bundled by the
 * registry's rules, like every tool's), each parameter and form body described as Prism's validators
 * read it (see parameters.ts, forms.ts). A document Prism cannot use is a SpecError.
 */
export async function prismOperations(api: Api, document: OpenAPI3): Promise<IHttpOperation[]> {
  const own = await checkedDocument(api, document);
  return (await prismRead(api, own.document)).map((operation) => adapted(operation, own));
}

const pathItemFields = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Every `$ref` value under `node`. */
function refsIn(node: unknown, refs: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) refsIn(item, refs);
  else if (typeof node === "object" && node !== null)
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") refs.add(value);
      else refsIn(value, refs);
    }
  return refs;
}

/**
 * A document of one operation: the path item with that method alone, every root field but the
 * paths, webhooks, components and extensions, and the components and extensions its `$ref`s reach
 * (the security schemes always). An extension can be as large as the rest: GitHub's 3.0 spec keeps
 * its webhooks under `x-webhooks`, reaching 479 schemas, which Prism dereferenced and copied for
 * every operation (4 to 14 s each). Undefined where a `$ref` points into another path or webhook
 * (the whole document is read then).
 */
function oneOperationDocument(document: Record<string, unknown>, method: string, route: string): object | undefined {
  const {
    paths,
    webhooks: _,
    components = {},
    ...root
  } = document as {
    paths: Record<string, Record<string, unknown>>;
    webhooks?: unknown;
    components?: Record<string, Record<string, unknown>>;
    [field: string]: unknown;
  };
  const kept = Object.fromEntries(Object.entries(root).filter(([field]) => !field.startsWith("x-")));
  const item = paths[route]!;
  const pathItem = Object.fromEntries(
    Object.entries(item).filter(([field]) => !pathItemFields.has(field) || field === method || "$ref" in item),
  );
  const reached: Record<string, Record<string, unknown>> = { securitySchemes: components.securitySchemes ?? {} };
  const seen = new Set<string>();
  const pending = [...refsIn([kept, pathItem, reached.securitySchemes], new Set())];
  for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
    if (seen.has(ref) || !ref.startsWith("#")) continue; // another file's: Prism reads it, from the spec's folder
    seen.add(ref);
    const [section, kind, name] = ref.slice(2).split("/").map(unescapedSegment);
    if (section === "paths" || section === "webhooks") return undefined;
    if (section !== "components" || kind === undefined) {
      // A root field, there whole once kept.
      if (section !== undefined && section in root && !(section in kept)) {
        kept[section] = root[section];
        pending.push(...refsIn(root[section], new Set()));
      }
      continue;
    }
    // A component, or (rarely) a whole kind of them.
    const targets = name === undefined ? Object.entries(components[kind] ?? {}) : [[name, components[kind]?.[name]]];
    for (const [key, target] of targets as [string, unknown][]) {
      if (target === undefined || reached[kind]?.[key] !== undefined) continue;
      const kept = reached[kind] ?? {};
      kept[key] = target;
      reached[kind] = kept;
      pending.push(...refsIn(target, new Set()));
    }
  }
  return { ...kept, paths: { [route]: pathItem }, components: reached };
}

const unescapedSegment = (segment: string) => decodeURIComponent(segment).replaceAll("~1", "/").replaceAll("~0", "~");

/**
 * Prism's view of each operation of a document, built the first time it is asked for, and Prism's
 * own routing of a request to them. Prism reads a document whole (every `$ref` followed and every
 * shared schema copied out where it is used): on a spec of hundreds of operations that takes as
 * long as `prism mock` takes to start (12-14 s on the largest public specs), most of it for
 * operations no request asks for. Here each operation is read from a document of its own (the
 * operation and the components it reaches): milliseconds for most, a second or so for the few
 * whose schemas reach hundreds of others, and the mock answers from the start.
 */
export interface OperationsOnDemand {
  /** Prism's view of the operation with this method and path (as the spec writes it), built once. */
  operation(method: string, path: string): Promise<IHttpOperation>;
  /**
   * Where Prism's router sends a request our own routing found no operation for: the method and
   * path of the operation it picks, or its error (`NO_PATH_MATCHED_ERROR`, ...).
   */
  route(request: IHttpRequest): { method: string; path: string } | { error: Error };
}

/** Prism's router (not exported by the package's index, used here with operations that carry only what it reads). */
type PrismRouter = (input: {
  resources: IHttpOperation[];
  input: IHttpRequest;
}) => { _tag: "Left"; left: Error } | { _tag: "Right"; right: IHttpOperation };
const prismRouter = (
  createRequire(createRequire(import.meta.url).resolve("@stoplight/prism-http"))("./router/index.js") as {
    default: PrismRouter;
  }
).default;

/**
 * The same checks as `prismOperations` (a SpecError naming the place and the fix), at once; each
 * operation is read by Prism when first asked for (see OperationsOnDemand). An operation Prism
 * cannot read rejects when asked for.
 */
export async function prismOperationsOnDemand(api: Api, document: OpenAPI3): Promise<OperationsOnDemand> {
  const own = await checkedDocument(api, document);
  const routable = operationsOf(document).map(
    ({ method, path }) =>
      ({
        id: `${method} ${path}`,
        method,
        path,
        servers: [],
        request: {},
        responses: [],
        security: [],
      }) as unknown as IHttpOperation,
  );
  const built = new Map<string, Promise<IHttpOperation>>();
  let whole: Promise<IHttpOperation[]> | undefined;
  const build = async (method: string, route: string) => {
    const alone = oneOperationDocument(own.document as Record<string, unknown>, method, route);
    if (!alone) whole ??= prismRead(api, structuredClone(own.document));
    const read = alone ? await prismRead(api, structuredClone(alone)) : await whole!;
    const found = read.find((candidate) => candidate.method === method && candidate.path === route);
    if (!found) throw new Error(`Prism found no ${method.toUpperCase()} ${route} in the spec`);
    return adapted(alone ? found : structuredClone(found), own);
  };
  return {
    operation(method, route) {
      const key = `${method} ${route}`;
      if (!built.has(key)) built.set(key, build(method, route));
      return built.get(key)!;
    },
    route(request) {
      const routed = prismRouter({ resources: routable, input: request });
      return routed._tag === "Left" ? { error: routed.left } : { method: routed.right.method, path: routed.right.path };
    },
  };
}

/**
 * The operation as Prism's router matches it, which reads the path alone: a path the spec also keys
 * by a query (OpenAI's `/responses?beta=true` beside `/responses`) or a `#fragment` (Box's
 * `/files/{file_id}#add_shared_link`) under its path as sent, for a request our routing
 * (`routerOf`) already sent to it.
 */
export function matchedByPath(operation: IHttpOperation): IHttpOperation {
  const [path = ""] = templateSent(operation.path).split("?");
  return path === operation.path ? operation : { ...operation, path };
}

/**
 * An operation without `responses` documents no answer to a valid request: Prism, finding none,
 * would fail before checking the request. It gets a bodiless 204 (accepted, nothing to say), so
 * that Prism checks the request and answers one that breaks the spec with its own 422.
 */
function withAnswer(operation: IHttpOperation): IHttpOperation {
  if (operation.responses.length > 0) return operation;
  return { ...operation, responses: [{ id: `${operation.id}-no-response`, code: "204", contents: [], headers: [] }] };
}
