import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixtureRoot } from "@contracts/fixtures";
import {
  type Api,
  exampleCall,
  listApis,
  loadSpec,
  type Operation,
  operationsOf,
  securityRequirementsOf,
  sentSchemesOf,
} from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { afterAll, beforeAll } from "vitest";
import { type Mocks, startMocks } from "../src/index.ts";

/** One operation of one API of the registry, with the call its examples make: what tests send. */
export interface ExampleRequest {
  api: Api;
  document: OpenAPI3;
  operation: Operation;
  /** The path with the example path parameters filled in. */
  path: string;
  body: unknown;
  /** Credentials the spec's security scheme accepts (any value passes the mock). */
  credentials: Record<string, string>;
}

/** The headers of the operation's first security requirement (the fixture registry's schemes are all headers). */
function credentials(document: OpenAPI3, operation: Operation): Record<string, string> {
  const [requirement = []] = securityRequirementsOf(document, operation);
  const schemes = sentSchemesOf(document).filter(({ schemeName }) => requirement.includes(schemeName));
  return Object.fromEntries(schemes.map((scheme) => [scheme.name.toLowerCase(), `${scheme.prefix}test-key`]));
}

/** Every operation of every API in the registry, never a hard-coded list: a new API is covered as added. */
export async function exampleRequests(root = fixtureRoot): Promise<ExampleRequest[]> {
  const apis = await listApis(root);
  const perApi = await Promise.all(
    apis.map(async (api) => {
      const document = await loadSpec(api);
      return operationsOf(document).map((operation) => {
        const { path, body } = exampleCall(document, operation);
        return { api, document, operation, path, body, credentials: credentials(document, operation) };
      });
    }),
  );
  return perApi.flat();
}

/** Sends a request as a client would; `body` goes as is when it is a string or bytes, else as JSON. */
export function send(
  url: string,
  request: ExampleRequest,
  init: { body?: unknown; headers?: Record<string, string>; method?: string } = {},
) {
  const body = "body" in init ? init.body : request.body;
  return fetch(`${url}${request.path}`, {
    method: init.method ?? request.operation.method.toUpperCase(),
    headers: { "content-type": "application/json", ...request.credentials, ...init.headers },
    body: typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
}

/** A scratch repository registering one API (Redocly's minimal rules) of `files`, its root file first: its folder. */
async function scratchRegistry(id: string, files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), `mock-${id}-`));
  const [specFile] = Object.keys(files);
  await writeFile(path.join(root, "redocly.yaml"), `apis:\n  ${id}:\n    root: ${specFile}\nextends:\n  - minimal\n`);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

/**
 * The mock of one API made of `files` (see `scratchRegistry`) for the tests of a file: started before
 * them, stopped and its folder removed after. Call the result in a test for the running mocks.
 */
export function scratchMocks(id: string, files: Record<string, string>): () => Mocks {
  let root: string | undefined;
  let mocks: Mocks | undefined;
  beforeAll(async () => {
    root = await scratchRegistry(id, files);
    mocks = await startMocks({ root, apis: [id] });
  });
  afterAll(async () => {
    await mocks?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });
  return () => mocks!;
}
