/**
 * What a generated client package's mock knows of its API, all of it taken from the spec at
 * generation: the data its MSW handlers answer with and check requests against.
 */

import type { Pagination } from "../pagination.ts";

/** A security scheme as the mock checks a request for it (as Prism does: presence, and the HTTP scheme word). */
export interface MockScheme {
  in: "header" | "query" | "cookie";
  /** The header, query parameter or cookie that carries the credential. */
  name: string;
  /** `Authorization: Bearer <token>` or `Authorization: Basic <user:password in base64>`; else any value. */
  scheme?: "bearer" | "basic";
}

/** A parameter as it arrives: how to read its value(s) before its precompiled check. */
export interface MockParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  /** The spec's `style`, where it is not the location's default. */
  style?: string;
  /** The spec's `explode`, where it is not the style's default. */
  explode?: boolean;
  /** Where the schema takes a list or an object of values rather than one. */
  shape?: "array" | "object";
}

/** One documented response. */
export interface MockResponse {
  /** `200`, `4XX` or `default`, as the spec writes it. */
  status: string;
  /** The media type of its body; undefined for a response without one. */
  mediaType?: string;
  /** Its named examples. */
  examples: { name: string; value: unknown }[];
  /** What it answers with where it has no named example: its single `example`, else a value generated from its schema with a fixed seed. */
  body?: unknown;
  /** Whether its JSON body has a schema (the precompiled response checks know it). */
  checked?: true;
  /** A file's bytes, base64, for a binary media type (an image, a PDF): the smallest valid file of that type. */
  file?: string;
  /** An event stream whose schema describes the event itself: each event is written field by field (see `eventStreamText`). */
  eventFields?: true;
  /**
   * The same response's event stream, where it offers `text/event-stream` beside JSON (OpenAI's and
   * Mistral's completions): answered instead of the JSON when the request's `Accept` prefers it, as
   * the Prism mocks negotiate. `first`: the spec lists the stream before the JSON.
   */
  events?: Pick<MockResponse, "examples" | "body" | "eventFields"> & { first?: true };
}

export interface MockOperation {
  method: string;
  /** The path template, e.g. `/v1/orgs/{org_id}/properties`. */
  path: string;
  /** Its security requirements: any one entry, each the schemes needed together (`[]`: none); empty: none needed. */
  security: string[][];
  parameters: MockParameter[];
  /** The JSON or URL-encoded form request body, where the operation takes one. */
  body?: { required: boolean };
  responses: MockResponse[];
  /** How its list answers page, where they do: the mock then serves pages a client walks to the end (see `pageAnswer`). */
  pagination?: Pagination;
}

/** One way a request breaks its schema, as Ajv's precompiled checks report it. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** The precompiled checks of a client package (no `eval`: they run under a strict CSP). */
export interface MockChecks {
  /** How a request part (its JSON body, its URL-encoded form's fields, or its path, query, header or cookie parameters as an object) of `METHOD path` breaks the spec. */
  requestViolationsOf(
    method: string,
    path: string,
    part: "body" | "form" | MockParameter["in"],
    value: unknown,
  ): SchemaError[];
  /** How a response body breaks the schema of its status (see the client's response validators). */
  violationsOf(method: string, path: string, status: number, body: unknown): unknown[];
}

export interface MockDescription {
  /** The spec's first server, its variables at their defaults; absent when it names none. */
  defaultBaseUrl?: string;
  /** Every security scheme operations use, by the name the client gives it. */
  schemes: Record<string, MockScheme>;
  /** Each operation, by the client's method name. */
  operations: Record<string, MockOperation>;
  checks: MockChecks;
}
