import type { OpenAPI3 } from "openapi-typescript";
import { namedExamples, requestBodyOf, responsesOf } from "./bodies.ts";
import { operationsOf, parametersOf } from "./operations.ts";
import { jsonPointer } from "./pointers.ts";

export interface SpecExample {
  /** Where the example is, e.g. `updateProperties 400 invalidRegion`. */
  name: string;
  value: unknown;
  /** JSON pointer of the schema the example must satisfy. */
  schemaPointer: string;
}

function labelled(label: string, examples: { name: string; value: unknown }[], schemaPointer: string): SpecExample[] {
  return examples.map(({ name, value }) => ({ name: `${label} ${name}`, value, schemaPointer }));
}

/** Schema-level `examples` arrays anywhere under components.schemas. */
function schemaExamples(node: unknown, pointer: string[]): SpecExample[] {
  if (typeof node !== "object" || node === null) return [];
  const own = Array.isArray((node as { examples?: unknown }).examples)
    ? (node as { examples: unknown[] }).examples.map((value, index) => ({
        name: `${pointer.slice(2).join(".")} example ${index}`,
        value,
        schemaPointer: jsonPointer(...pointer),
      }))
    : [];
  const nested = Object.entries(node)
    .filter(([key]) => key !== "examples")
    .flatMap(([key, child]) => schemaExamples(child, [...pointer, key]));
  return [...own, ...nested];
}

/** Every example the spec gives: JSON request and response bodies, parameters and schemas. */
export function examplesOf(document: OpenAPI3): SpecExample[] {
  const fromOperations = operationsOf(document).flatMap((operation) => {
    const { id } = operation;
    const request = requestBodyOf(document, operation);
    const requests = request ? labelled(`${id} request`, request.examples, request.schemaPointer) : [];
    const responses = responsesOf(document, operation).flatMap(({ status, examples, schemaPointer }) =>
      labelled(`${id} ${status}`, examples, schemaPointer),
    );
    const parameters = parametersOf(document, operation).flatMap(({ object, schemaPointer }) =>
      labelled(`${id} parameter ${object.name}`, namedExamples(document, object.examples), schemaPointer),
    );
    return [...requests, ...responses, ...parameters];
  });
  return [...fromOperations, ...schemaExamples(document.components?.schemas, ["components", "schemas"])];
}
