import {
  type Direction,
  examplesOf,
  loadSpec,
  operationsOf,
  requestBodyOf,
  responsesOf,
  specValidator,
} from "@contracts/spec";
import { describe, expect, it } from "vitest";
import { apis } from "./registry.ts";

// Every spec's examples fit their schemas: the mocks serve them and the tests send them, a vendor's
// included (one that breaks its schema is a defect of the spec, fixed in the file). A body example
// is judged as its message is: a request's without readOnly properties, a response's without
// writeOnly ones. That every spec has examples is the house style's alone: a vendor's spec
// documents what it documents.
describe.each(apis)("$id examples", async (api) => {
  const document = await loadSpec(api);
  const validators = {
    none: specValidator(document),
    request: specValidator(document, "request"),
    response: specValidator(document, "response"),
  };
  const directionOf = new Map<string, Direction>();
  for (const operation of operationsOf(document)) {
    const request = requestBodyOf(document, operation);
    if (request) directionOf.set(request.schemaPointer, "request");
    for (const { schemaPointer } of responsesOf(document, operation)) directionOf.set(schemaPointer, "response");
  }
  const examples = examplesOf(document);

  it.skipIf(!api.house)(
    `has examples${api.house ? "" : " (skipped: a vendor's spec as published, registered with its own `extends`)"}`,
    () => {
      expect(examples.length).toBeGreaterThan(0);
    },
  );

  it.each(examples)("$name satisfies its schema", ({ schemaPointer, value }) => {
    const validate = validators[directionOf.get(schemaPointer) ?? "none"];
    expect(validate(schemaPointer, value)).toEqual([]);
  });
});
