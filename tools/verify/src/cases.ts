import type { OpenAPI3 } from "openapi-typescript";
import { exampleCall, jsonPointer, resolveRef, type Operation } from "@contracts/registry";
import { examplesOf, specValidator } from "@contracts/testkit";
// The testkit's boundary-case generator: not in its package exports yet, so imported by path.
import { constraintCases } from "../../testkit/src/constraints.ts";

/** One request verify sends: what it varies from the spec's example call, and whether it carries the key. */
export interface VerifyCase {
  /** e.g. `no credentials`, `example renameOrg`, `updates.org_display_name maxLength 30: 31 characters` */
  varied: string;
  credentials: boolean;
  /** The JSON body, or undefined for none. */
  body: unknown;
}

function requestSchema(document: OpenAPI3, operation: Operation): { pointer: string; schema: unknown } | undefined {
  const requestBody = operation.object.requestBody && resolveRef(document, operation.object.requestBody);
  const content = requestBody?.content["application/json"] && resolveRef(document, requestBody.content["application/json"]);
  if (!content?.schema) return undefined;
  return { pointer: `${operation.pointer}${jsonPointer("requestBody", "content", "application/json", "schema")}`, schema: content.schema };
}

/** The one case that is safe on a live API: the example call without credentials, which must be refused. */
export function safeCases(document: OpenAPI3, operation: Operation): VerifyCase[] {
  return [{ varied: "no credentials", credentials: false, body: exampleCall(document, operation).body }];
}

/** Cases that change the organisation when the provider accepts them: every documented request example, then the boundary cases. */
export function writeCases(document: OpenAPI3, operation: Operation): VerifyCase[] {
  const schema = requestSchema(document, operation);
  const example = exampleCall(document, operation).body;
  if (!schema) return [{ varied: "the example call", credentials: true, body: example }];
  const documented = examplesOf(document)
    .filter((candidate) => candidate.schemaPointer === schema.pointer)
    .map(({ name, value }) => ({ varied: `example ${name.split(" ").at(-1)}`, credentials: true, body: value }));
  const boundaries = example === undefined ? [] : constraintCases(document, schema.pointer, schema.schema, example as never, specValidator(document));
  return [...documented, ...boundaries.map(({ name, body }) => ({ varied: name, credentials: true, body }))];
}
