import type { ExampleObject, OpenAPI3, ReferenceObject } from "openapi-typescript";
import { jsonPointer, operationsOf, requestSchemaPointer, resolveRef, responseSchemaPointer } from "@contracts/registry";

export interface SpecExample {
  /** Where the example is, e.g. `updateProperties 400 invalidRegion`. */
  name: string;
  value: unknown;
  /** JSON pointer of the schema the example must satisfy. */
  schemaPointer: string;
}

type NamedExamples = Record<string, ExampleObject | ReferenceObject> | undefined;

function named(document: OpenAPI3, label: string, examples: NamedExamples, schemaPointer: string): SpecExample[] {
  return Object.entries(examples ?? {}).map(([exampleName, example]) => ({
    name: `${label} ${exampleName}`,
    value: resolveRef(document, example).value,
    schemaPointer,
  }));
}

/** Schema-level `examples` arrays anywhere under components.schemas. */
function schemaExamples(node: unknown, pointer: string[]): SpecExample[] {
  if (typeof node !== "object" || node === null) return [];
  const own = Array.isArray((node as { examples?: unknown }).examples)
    ? ((node as { examples: unknown[] }).examples).map((value, index) => ({
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

/** Every example the spec gives: request bodies, responses, parameters and schemas. */
export function examplesOf(document: OpenAPI3): SpecExample[] {
  const fromOperations = operationsOf(document).flatMap((operation) => {
    const { object, pointer, id } = operation;
    const requestBody = object.requestBody && resolveRef(document, object.requestBody);
    const requests = Object.entries(requestBody?.content ?? {}).flatMap(([mediaType, content]) =>
      named(document, `${id} request`, resolveRef(document, content).examples, requestSchemaPointer(operation, mediaType)),
    );
    const responses = Object.entries(object.responses ?? {}).flatMap(([status, responseOrRef]) => {
      const response = resolveRef(document, responseOrRef);
      return Object.entries(response.content ?? {}).flatMap(([mediaType, content]) =>
        named(document, `${id} ${status}`, content.examples, responseSchemaPointer(operation, status, mediaType)),
      );
    });
    const parameters = (object.parameters ?? []).flatMap((parameterOrRef, index) => {
      const parameter = resolveRef(document, parameterOrRef);
      return named(document, `${id} parameter ${parameter.name}`, parameter.examples, `${pointer}${jsonPointer("parameters", index, "schema")}`);
    });
    return [...requests, ...responses, ...parameters];
  });
  return [...fromOperations, ...schemaExamples(document.components?.schemas, ["components", "schemas"])];
}
