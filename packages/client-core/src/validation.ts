import type { ResponseValidators } from "./client.ts";

/** A precompiled schema check, as Ajv's standalone code emits it. */
export type SchemaCheck = ((body: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null;
};

/**
 * A package's response validators from its precompiled checks, keyed by `METHOD path` and the
 * status as the spec writes it (`200`, `4XX`, `default`): the exact code first, then its range,
 * then `default`. A status the spec gives no schema has nothing to check.
 */
export function responseValidators(checks: Record<string, Record<string, SchemaCheck>>): ResponseValidators {
  return {
    validateResponse(method, path, status, body) {
      const byStatus = checks[`${method} ${path}`];
      const check = byStatus?.[String(status)] ?? byStatus?.[`${String(status)[0]}XX`] ?? byStatus?.default;
      if (!check || check(body)) return [];
      return (check.errors ?? []).map(({ instancePath, message }) => ({
        pointer: instancePath,
        message: message ?? "does not match the schema",
      }));
    },
  };
}
