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
  const validator = schemaAt(specAjv(document));
  return (schemaPointer, value) => {
    const validate = validator(schemaPointer);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`.trim());
  };
}

/**
 * Ajv with the whole spec registered as `spec` (its schemas are `spec#<pointer>`) and the
 * formats of ajv-formats: what every validator of the project (and codegen's precompiled ones)
 * starts from. `options` add to it (codegen's standalone code options); `configure` changes it
 * before the spec is compiled (keywords).
 */
export function specAjv(
  document: OpenAPI3,
  options: Options = {},
  configure: (ajv: Ajv2020) => void = () => {},
): Ajv2020 {
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
  configure(ajv);
  ajv.addSchema(document as object, "spec");
  return ajv;
}

const schemaAt = (ajv: Ajv2020) => (schemaPointer: string) => {
  const validate = ajv.getSchema(`spec#${schemaPointer}`);
  if (!validate) throw new Error(`No schema at ${schemaPointer}`);
  return validate;
};

/**
 * Finds the properties of a request body that its schema marks `readOnly` (OpenAPI: they "SHOULD
 * NOT be sent as part of the request"), as JSON pointers into the body, e.g. `/id`. Whatever else
 * the body breaks is the schema validator's to say.
 */
export type ReadOnlyFinder = (schemaPointer: string, value: unknown) => string[];

export function readOnlyFinder(document: OpenAPI3): ReadOnlyFinder {
  const validator = schemaAt(
    specAjv(document, {}, (ajv) => {
      // An annotation to Ajv; here a property it applies to must not be there at all.
      ajv.removeKeyword("readOnly");
      ajv.addKeyword({ keyword: "readOnly", schemaType: "boolean", validate: (readOnly: boolean) => !readOnly });
    }),
  );
  return (schemaPointer, value) => {
    const validate = validator(schemaPointer);
    validate(value);
    const found = (validate.errors ?? []).filter((error) => error.keyword === "readOnly");
    return [...new Set(found.map((error) => error.instancePath))];
  };
}
