import type { Options } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenAPI3 } from "openapi-typescript";

/** Validates a value against the schema at a JSON pointer of the spec; returns the violations. */
export type SpecValidator = (schemaPointer: string, value: unknown) => string[];

/**
 * OpenAPI 3.1 schemas are JSON Schema 2020-12: the spec document itself is registered with
 * Ajv, so `$ref`s resolve inside it and no schema is ever copied by hand.
 */
export function specValidator(document: OpenAPI3): SpecValidator {
  const ajv = specAjv(document);
  return (schemaPointer, value) => {
    const validate = ajv.getSchema(`spec#${schemaPointer}`);
    if (!validate) throw new Error(`No schema at ${schemaPointer}`);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`.trim());
  };
}

/**
 * Ajv with the whole spec registered as `spec` (its schemas are `spec#<pointer>`) and the
 * formats of ajv-formats: what every validator of the project (and codegen's precompiled ones)
 * starts from. `options` add to it (codegen's standalone code options).
 */
export function specAjv(document: OpenAPI3, options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({
    // The document around the schemas (info, paths, ...) is not a schema.
    strict: false,
    allErrors: true,
    validateSchema: false,
    // A spec may use formats of its own (`google-datetime`): OpenAPI leaves formats open, so they
    // pass unchecked without a warning per schema.
    logger: false,
    ...options,
  });
  addFormats.default(ajv);
  ajv.addSchema(document as object, "spec");
  return ajv;
}
