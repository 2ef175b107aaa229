import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Operation, operationsOf, resolveRef, routerOf } from "@contracts/spec";
import type { OpenAPI3, SchemaObject } from "openapi-typescript";
import { expect } from "vitest";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Upstream {
  url: string;
  received: ReceivedRequest[];
  close: () => Promise<void>;
}

/** What an upstream answers: called with the operation the request is for (undefined if none matches). */
export type Answer = (operation: Operation | undefined, request: ReceivedRequest, response: ServerResponse) => void;

function operationAt(document: OpenAPI3, method: string, url: string): Operation | undefined {
  const { pathname, searchParams } = new URL(url, "http://placeholder");
  return routerOf(operationsOf(document))(method, pathname, searchParams).operation;
}

/** A real HTTP server on a free loopback port that records every request and answers as told. */
export async function startUpstream(document: OpenAPI3, answer: Answer): Promise<Upstream> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const recorded = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      received.push(recorded);
      answer(operationAt(document, recorded.method, recorded.url), recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface DocumentedSuccess {
  status: number;
  body: Record<string, unknown>;
  /** The success schema's required properties, in order. */
  required: string[];
  /** The JSON type of each property, for a value of the wrong type. */
  types: Record<string, string>;
}

/** The first documented response whose status matches, with its first named example. */
export function documentedResponse(document: OpenAPI3, operation: Operation, matches: (status: string) => boolean) {
  const [status, responseOrRef] = Object.entries(operation.object.responses ?? {}).find(([code]) => matches(code))!;
  const content = resolveRef(document, responseOrRef).content!["application/json"]!;
  const [example] = Object.values(content.examples ?? {});
  return {
    status: Number(status),
    body: resolveRef(document, example!).value,
    schema: resolveRef(document, content.schema!) as SchemaObject,
  };
}

/** The operation's first 2xx response with its first named example: what a conforming provider answers. */
export function documentedSuccess(document: OpenAPI3, operation: Operation): DocumentedSuccess {
  const { status, body, schema } = documentedResponse(document, operation, (code) => code.startsWith("2"));
  const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  const types = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      String((resolveRef(document, property as SchemaObject) as { type?: unknown }).type),
    ]),
  );
  return {
    status,
    body: body as Record<string, unknown>,
    required: (schema as { required?: string[] }).required ?? [],
    types,
  };
}

export function json(response: ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  response.writeHead(status, { "content-type": contentType }).end(JSON.stringify(body));
}

/** A value that is not of the JSON type `type`. */
const wrongTypeFor = (type: string) => (type === "string" ? 42 : "not the documented type");

type Change = (success: DocumentedSuccess) => { status?: number; body?: unknown; contentType?: string };

/** A provider that answers every request with the operation's documented success, changed by `change`. */
export const answersSuccess =
  (document: OpenAPI3, change: Change = () => ({})): Answer =>
  (operation, _request, response) => {
    const success = documentedSuccess(document, operation!);
    const changed = change(success);
    json(
      response,
      changed.status ?? success.status,
      "body" in changed ? changed.body : success.body,
      changed.contentType,
    );
  };

/** Ways a provider breaks the contract in its answer to a valid request, and the violation each must be reported as. */
export const breaks: { name: string; change: Change; violation: (success: DocumentedSuccess) => object }[] = [
  {
    name: "an undocumented status",
    change: () => ({ status: 418 }),
    violation: () => ({ side: "response", pointer: "/statusCode", rule: expect.stringMatching(/status code/) }),
  },
  {
    name: "a required response field missing",
    change: (success) => ({ body: { ...success.body, [success.required[0]!]: undefined } }),
    violation: (success) => ({
      side: "response",
      pointer: "/body",
      rule: expect.stringContaining(`required property '${success.required[0]}'`),
    }),
  },
  {
    name: "a wrong type",
    change: (success) => ({
      body: { ...success.body, [success.required[0]!]: wrongTypeFor(success.types[success.required[0]!]!) },
    }),
    violation: (success) => ({
      side: "response",
      pointer: "/body",
      rule: expect.stringContaining(`/${success.required[0]} must be ${success.types[success.required[0]!]}`),
    }),
  },
  {
    name: "a wrong content type",
    change: () => ({ contentType: "text/plain" }),
    violation: () => ({
      side: "response",
      pointer: "/headers/content-type",
      rule: expect.stringMatching(/media type "text\/plain"/),
    }),
  },
];
