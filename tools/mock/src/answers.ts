/**
 * The documented answers of one spec's operations, for the Prism mocks' front: client-core's mock
 * answers (the same the MSW handlers of the generated clients give) over the spec as loaded,
 * checked by the spec's own validator.
 */

import { type Answer, errorAnswer, statusOfExample, unknownExampleAnswer } from "@contracts/client-core/mock";
import { type Operation, responseForStatus, responsesOf, specValidator } from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";

export interface DocumentedAnswers {
  /** The exact status whose response documents an example named `name`. */
  statusOfExample: (operation: Operation, name: string) => number | undefined;
  /** True when the operation documents `status`: its exact code, its range (`4XX`) or `default`. */
  documents: (operation: Operation, status: number) => boolean;
  /** The 404 for an example the operation does not document, naming those it does. */
  unknownExample: (operation: Operation, name: string) => Answer;
  /** client-core's `errorAnswer` for the response the operation documents for `status` (none without an operation). */
  errorAnswer: (
    operation: Operation | undefined,
    status: number,
    violations: string[],
    template?: { body: unknown; contentType?: string },
  ) => Answer;
}

export function documentedAnswers(document: OpenAPI3): DocumentedAnswers {
  const validate = specValidator(document);
  return {
    statusOfExample: (operation, name) => statusOfExample(responsesOf(document, operation), name),
    documents: (operation, status) => responseForStatus(responsesOf(document, operation), status) !== undefined,
    unknownExample: (operation, name) => unknownExampleAnswer(operation.id, name, responsesOf(document, operation)),
    errorAnswer(operation, status, violations, template) {
      const documented = operation && responseForStatus(responsesOf(document, operation), status);
      const { schema, schemaPointer } = documented ?? {};
      const fits = schema && ((body: unknown) => validate(schemaPointer!, body).length === 0);
      return errorAnswer(documented && { ...documented, fits }, status, violations, template);
    },
  };
}
