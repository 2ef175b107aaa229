import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OpenAPI3, SchemaObject } from "openapi-typescript";
import { operationsOf, resolveRef, type Operation } from "@contracts/registry";

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
  const path = new URL(url, "http://placeholder").pathname;
  return operationsOf(document).find(
    (operation) => operation.method === method.toLowerCase() && new RegExp(`^${operation.path.replaceAll(/\{[^}]+\}/g, "[^/]+")}$`).test(path),
  );
}

/** A real HTTP server on a free loopback port that records every request and answers as told. */
export async function startUpstream(document: OpenAPI3, answer: Answer): Promise<Upstream> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const recorded = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) };
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

/** The operation's first 2xx response with its first named example: what a conforming provider answers. */
export function documentedSuccess(document: OpenAPI3, operation: Operation): DocumentedSuccess {
  const [status, responseOrRef] = Object.entries(operation.object.responses ?? {}).find(([code]) => code.startsWith("2"))!;
  const content = resolveRef(document, responseOrRef).content!["application/json"]!;
  const [example] = Object.values(content.examples ?? {});
  const schema = resolveRef(document, content.schema!) as SchemaObject;
  const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
  const types = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, String((resolveRef(document, property as SchemaObject) as { type?: unknown }).type)]));
  return { status: Number(status), body: resolveRef(document, example!).value as Record<string, unknown>, required: (schema as { required?: string[] }).required ?? [], types };
}

export function json(response: ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  response.writeHead(status, { "content-type": contentType }).end(JSON.stringify(body));
}

/** A value that is not of the JSON type `type`. */
export const wrongTypeFor = (type: string) => (type === "string" ? 42 : "not the documented type");
