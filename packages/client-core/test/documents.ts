import type { Client } from "openapi-fetch";
import type { $Read, $Write } from "openapi-typescript-helpers";
import type { ApiDescription, OperationMethod } from "../src/index.ts";

/** No parameters of a kind, as openapi-typescript writes it. */
type None = { query?: never; header?: never; path?: never; cookie?: never };
/** A document's id in the path, its only parameter. */
type ById = { query?: never; header?: never; path: { id: string }; cookie?: never };
type Headers = Record<string, unknown>;
/** An answer without a body. */
type NoContent = { 204: { headers: Headers; content?: never } };

/** A document as openapi-typescript writes it with `readWriteMarkers`: `id` is readOnly, `secret` writeOnly. */
export interface DocumentSchema {
  id: $Read<string>;
  title: string;
  secret?: $Write<string>;
  /** A property whose only value is `null`, as OpenAPI 3.1 can say. */
  deletedAt: null;
}
export interface Problem {
  title: string;
  status: number;
}

/** Values of each shape, written in the styles of `styles`: as query parameters and as form fields. */
export interface StyledValues {
  tags?: string[];
  ids?: number[];
  words?: string[];
  levels?: string[];
  filter?: { kind: string; year: number };
  range?: { from: number; to: number };
}

/** A form whose fields each have an `encoding` of their own (see `formEncoding`). */
export interface StyledForm extends StyledValues {
  point?: { x: number; y: number };
  size?: { w: number; h: number };
  path?: string;
  meta?: { pages: number };
  label?: string;
  scan?: Blob;
  note?: string;
}

/** An API of every kind of body and parameter, as openapi-typescript would emit it, for the media tests. */
export interface DocumentPaths {
  "/documents/{id}": {
    parameters: None;
    get: {
      parameters: ById;
      requestBody?: never;
      responses: {
        200: { headers: Headers; content: { "application/json": DocumentSchema; "application/xml": DocumentSchema } };
        404: { headers: Headers; content: { "application/problem+json": Problem; "application/problem+xml": Problem } };
      };
    };
    put: {
      parameters: ById;
      requestBody: { content: { "application/json": DocumentSchema } };
      responses: { 200: { headers: Headers; content: { "application/json": DocumentSchema } } };
    };
    patch: {
      parameters: ById;
      requestBody: { content: { "application/merge-patch+json": { title?: string } } };
      responses: NoContent;
    };
  };
  "/documents/{id}/preview": {
    parameters: None;
    get: {
      parameters: ById;
      requestBody?: never;
      responses: { 200: { headers: Headers; content: { "image/png": Blob } } };
    };
  };
  "/documents/{id}/text": {
    parameters: None;
    get: {
      parameters: ById;
      requestBody?: never;
      responses: {
        200: { headers: Headers; content: { "text/plain": string } };
        500: { headers: Headers; content: { "text/html": string } };
      };
    };
    put: {
      parameters: ById;
      requestBody: { content: { "text/plain": string } };
      responses: NoContent;
    };
  };
  "/documents/{id}/content": {
    parameters: None;
    put: {
      parameters: ById;
      requestBody: { content: { "application/octet-stream": Blob } };
      responses: NoContent;
    };
  };
  "/images": {
    parameters: None;
    post: {
      parameters: None;
      requestBody: { content: { "image/*": Blob } };
      responses: NoContent;
    };
  };
  "/documents": {
    parameters: None;
    post: {
      parameters: None;
      requestBody: {
        content: {
          "multipart/form-data": { file: Blob; tags?: string[]; meta?: { pages: number }; draft?: boolean };
        };
      };
      responses: { 201: { headers: Headers; content: { "application/json": DocumentSchema } } };
    };
  };
  "/forms": {
    parameters: None;
    post: {
      parameters: None;
      requestBody: { content: { "multipart/form-data": StyledForm } };
      responses: NoContent;
    };
    put: {
      parameters: None;
      requestBody: { content: { "application/x-www-form-urlencoded": StyledForm } };
      responses: NoContent;
    };
  };
  "/search": {
    parameters: None;
    get: {
      parameters: {
        query?: StyledValues & { q?: string; box?: { w: number; h: number } };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: { 200: { headers: Headers; content: { "application/json": DocumentSchema[] } } };
    };
    post: {
      parameters: None;
      requestBody: {
        content: {
          "application/x-www-form-urlencoded": { q: string; tags?: string[]; page?: number; filter?: { kind: string } };
        };
      };
      responses: { 200: { headers: Headers; content: { "application/json": DocumentSchema[] } } };
    };
  };
  "/shelves/{shelf}/{position}": {
    parameters: None;
    get: {
      parameters: { query?: never; header?: never; path: { shelf: string; position: string[] }; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: Headers; content: { "application/json": DocumentSchema[] } } };
    };
  };
  "/preferences": {
    parameters: None;
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: { theme?: string; languages?: string[]; tags?: string[] };
      };
      requestBody?: never;
      responses: NoContent;
    };
  };
  "/events#created": {
    parameters: None;
    get: {
      parameters: None;
      requestBody?: never;
      responses: { 200: { headers: Headers; content: { "application/json": DocumentSchema[] } } };
    };
  };
}

/** What a generated client of DocumentPaths looks like. */
export interface DocumentsClient extends Client<DocumentPaths> {
  getDocument: OperationMethod<DocumentPaths, "/documents/{id}", "get">;
  putDocument: OperationMethod<DocumentPaths, "/documents/{id}", "put">;
  patchDocument: OperationMethod<DocumentPaths, "/documents/{id}", "patch">;
  getPreview: OperationMethod<DocumentPaths, "/documents/{id}/preview", "get">;
  getText: OperationMethod<DocumentPaths, "/documents/{id}/text", "get">;
  putText: OperationMethod<DocumentPaths, "/documents/{id}/text", "put">;
  putContent: OperationMethod<DocumentPaths, "/documents/{id}/content", "put">;
  postImage: OperationMethod<DocumentPaths, "/images", "post">;
  uploadDocument: OperationMethod<DocumentPaths, "/documents", "post">;
  search: OperationMethod<DocumentPaths, "/search", "get">;
  searchByForm: OperationMethod<DocumentPaths, "/search", "post">;
  getShelf: OperationMethod<DocumentPaths, "/shelves/{shelf}/{position}", "get">;
  getCreatedEvents: OperationMethod<DocumentPaths, "/events#created", "get">;
  getPreferences: OperationMethod<DocumentPaths, "/preferences", "get">;
  postForm: OperationMethod<DocumentPaths, "/forms", "post">;
  putForm: OperationMethod<DocumentPaths, "/forms", "put">;
}

/** The styles of StyledValues not written as form, exploded. */
const styles = {
  ids: { style: "form", explode: false },
  words: { style: "spaceDelimited", explode: false },
  levels: { style: "pipeDelimited", explode: false },
  filter: { style: "deepObject", explode: true },
} as const;

/** The fields of StyledForm as codegen writes their `encoding`: a style each, or a media type of their own. */
const formEncoding = {
  fieldStyles: {
    ...styles,
    tags: { style: "form", explode: true },
    range: { style: "form", explode: true },
    point: { style: "form", explode: false },
    size: { style: "spaceDelimited", explode: false },
    path: { style: "form", explode: true, allowReserved: true },
  },
  fieldTypes: { meta: "application/json", label: "application/json", scan: "image/png", note: "text/csv" },
} as const;

/** The API's description as codegen writes it from the spec behind DocumentPaths. */
export const documents: ApiDescription = {
  title: "Documents API",
  defaultBaseUrl: "https://documents.test",
  operations: {
    getDocument: ["get", "/documents/{id}", true, { accept: "application/json, application/problem+json" }],
    putDocument: ["put", "/documents/{id}", true],
    patchDocument: ["patch", "/documents/{id}", false, { requestType: "application/merge-patch+json" }],
    getPreview: ["get", "/documents/{id}/preview", true, { parseAs: "blob" }],
    getText: ["get", "/documents/{id}/text", true, { parseAs: "text" }],
    putText: ["put", "/documents/{id}/text", true, { requestType: "text/plain" }],
    putContent: ["put", "/documents/{id}/content", true, { requestType: "application/octet-stream" }],
    postImage: ["post", "/images", false, { requestType: "image/*" }],
    uploadDocument: ["post", "/documents", false, { requestType: "multipart/form-data" }],
    search: [
      "get",
      "/search",
      true,
      {
        query: { ...styles, box: { style: "pipeDelimited", explode: false } },
      },
    ],
    searchByForm: ["post", "/search", false, { requestType: "application/x-www-form-urlencoded" }],
    getShelf: ["get", "/shelves/{.shelf}/{;position*}", true, { specPath: "/shelves/{shelf}/{position}" }],
    getCreatedEvents: ["get", "/events", true, { specPath: "/events#created" }],
    getPreferences: ["get", "/preferences", true, { cookie: { tags: { style: "form", explode: false } } }],
    postForm: ["post", "/forms", false, { requestType: "multipart/form-data", ...formEncoding }],
    putForm: ["put", "/forms", true, { requestType: "application/x-www-form-urlencoded", ...formEncoding }],
  },
  validators: async () => ({ violationsOf: () => [] }),
};

export const documentId = { params: { path: { id: "d1" } } };

/** A value of each shape of StyledValues. */
export const styledValues: StyledValues = {
  tags: ["a", "b"],
  ids: [1, 2],
  words: ["red", "green"],
  levels: ["high", "low"],
  filter: { kind: "memo", year: 2024 },
  range: { from: 1, to: 9 },
};
export const aDocument = { id: "d1", title: "Minutes", deletedAt: null };
