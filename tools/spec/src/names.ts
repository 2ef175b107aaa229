/**
 * `update-org properties` → `UpdateOrgProperties`: the stem of the type names made from an id (an
 * operationId, an API id). One implementation for every tool, so the names they expect agree.
 */
export function pascalCase(name: string): string {
  return name.replace(/(?:^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * What a generated client object already has: openapi-fetch's methods and middleware hooks, and
 * `__proto__`, which set on an object changes its prototype instead of adding a method.
 */
const clientMembers = new Set([
  "__proto__",
  "GET",
  "PUT",
  "POST",
  "DELETE",
  "OPTIONS",
  "HEAD",
  "PATCH",
  "TRACE",
  "request",
  "use",
  "eject",
]);

/** The words of a name, split at whatever a JavaScript identifier cannot hold. */
const wordsOf = (name: string) => name.split(/[^A-Za-z0-9_$]+/).filter(Boolean);

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * The client's method name for an operation, by a written rule:
 * - an operationId that is a JavaScript identifier stays as it is (`updateOrganization`, `delete`);
 * - any other is camel-cased at its separators (`get-stations` → `getStations`,
 *   `find pet by id` → `findPetById`, `abusiveexperiencereport.sites.get` → `abusiveexperiencereportSitesGet`);
 * - an operation without one is named by its method and path (`GET /pets/{id}` → `getPetsById`);
 * - a name that starts with a digit gets a leading `_` (`3GppRegistration` → `_3GppRegistration`);
 * - a name openapi-fetch's client already has (`GET`, `use`, `request`, ...) or `__proto__` gets `Operation` appended.
 * Two operations with one name are the caller's to resolve: see `methodNames`.
 */
export function methodNameOf(operation: { operationId?: string; method: string; path: string }): string {
  const words = operation.operationId
    ? wordsOf(operation.operationId)
    : [
        operation.method,
        ...operation.path
          .split(/[/#]/)
          .flatMap((segment) => (/^\{.+\}$/.test(segment) ? ["by", ...wordsOf(segment)] : wordsOf(segment))),
      ];
  const [first = "operation", ...rest] = words;
  const name = `${first}${rest.map(capitalized).join("")}`;
  const valid = /^[0-9]/.test(name) ? `_${name}` : name;
  return clientMembers.has(valid) ? `${valid}Operation` : valid;
}
