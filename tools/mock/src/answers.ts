/**
 * The documented answers of one spec's operations, for the Prism mocks' front: client-core's mock
 * answers (the same the MSW handlers of the generated clients give) over the spec as loaded,
 * checked by the spec's own validator.
 */

import { madeUpBody } from "@contracts/cases";
import { type Answer, errorAnswer, statusOfExample, unknownExampleAnswer } from "@contracts/client-core/mock";
import {
  type BodySpec,
  essence,
  isBinary,
  isJson,
  isXml,
  minimalFile,
  type Operation,
  responseBodyOf,
  responseForStatus,
  responsesOf,
  specValidator,
} from "@contracts/spec";
import type { OpenAPI3 } from "openapi-typescript";
import { toXml } from "./media.ts";

export interface DocumentedAnswers {
  /** The exact status whose response documents an example named `name`. */
  statusOfExample: (operation: Operation, name: string) => number | undefined;
  /** True when the operation documents `status`: its exact code, its range (`4XX`) or `default`. */
  documents: (operation: Operation, status: number) => boolean;
  /** The 404 for an example the operation does not document, naming those it does. */
  unknownExample: (operation: Operation, name: string) => Answer;
  /**
   * The answer of `status` to a request the spec rejects, in the response the operation documents
   * for it (see `documentedAnswers`); a problem body when it documents none.
   */
  errorAnswer: (
    operation: Operation | undefined,
    status: number,
    violations: string[],
    template?: { body: unknown; contentType?: string },
  ) => Answer;
  /**
   * The body of a success whose response gives no example (any media type but a file's): the one
   * the MSW handlers make up too (`madeUpBody`), in place of Prism's (its sampler ignores what a schema says beside `allOf`,
   * Discord's enums, and differs from the handlers'); a body Prism generated (`--dynamic`) where
   * its schema accepts it. Any other body as Prism gave it.
   */
  fitting: (
    operation: Operation,
    status: number,
    mediaType: string | undefined,
    body: unknown,
    dynamic: boolean,
  ) => unknown;
}

export function documentedAnswers(document: OpenAPI3): DocumentedAnswers {
  // Every body here is an answer: a writeOnly property is not sent in one.
  const validate = specValidator(document, "response");
  /** The body made up for each schema, by its pointer: made once, as the schema is all it depends on. */
  const madeUp = new Map<string, unknown>();
  const made = (body: BodySpec, fits: (value: unknown) => boolean) => {
    if (!madeUp.has(body.schemaPointer)) madeUp.set(body.schemaPointer, madeUpBody(document, body.schema!, fits));
    return { value: madeUp.get(body.schemaPointer) };
  };
  const fitsOf = (body: BodySpec) =>
    body.schema && ((value: unknown) => validate(body.schemaPointer, value).length === 0);
  return {
    statusOfExample: (operation, name) => statusOfExample(responsesOf(document, operation), name),
    documents: (operation, status) => responseForStatus(responsesOf(document, operation), status) !== undefined,
    unknownExample: (operation, name) => unknownExampleAnswer(operation.id, name, responsesOf(document, operation)),
    /**
     * In the documented media type (Prism's pick, `template`, else JSON first): no body where the
     * response documents none; text telling the violations where its schema takes it; JSON and
     * XML from the documented example, else the body both mocks make up, else Prism's body,
     * with the message telling the violations; a binary type its smallest valid file.
     */
    errorAnswer(operation, status, violations, template) {
      const documented = operation && responseForStatus(responsesOf(document, operation), status);
      if (!operation || !documented) return errorAnswer(undefined, status, violations, template);
      const mediaType = template?.contentType === undefined ? undefined : essence(template.contentType);
      const body = responseBodyOf(document, operation, documented.status, mediaType);
      if (!body) return template ? { status, ...template } : { status, body: undefined };
      const fits = fitsOf(body);
      const contentType = body.mediaType;
      if (isBinary(contentType)) return { status, contentType, body: minimalFile(contentType) };
      // Where the spec gives no example, the body both mocks make up, not Prism's.
      const example = body.firstExample ?? (fits ? made(body, fits) : template && { value: template.body });
      const isText = !isJson(contentType) && !isXml(contentType);
      if (isText) {
        const said = violations.join("; ");
        return { status, contentType, body: !fits || fits(said) ? said : String(example?.value ?? said) };
      }
      const answer = errorAnswer({ mediaType: contentType, firstExample: example, fits }, status, violations);
      const asXml = isXml(contentType) && typeof answer.body !== "string";
      return asXml ? { ...answer, body: toXml(document, answer.body, body.schema) } : answer;
    },
    fitting(operation, status, mediaType, sent, dynamic) {
      const documented = responseForStatus(responsesOf(document, operation), status);
      const body =
        documented && responseBodyOf(document, operation, documented.status, mediaType && essence(mediaType));
      const fits = body && !body.firstExample && !isBinary(body.mediaType) && fitsOf(body);
      if (!fits || (dynamic && fits(sent))) return sent;
      return made(body, fits).value;
    },
  };
}
