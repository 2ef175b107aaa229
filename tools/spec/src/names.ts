/**
 * `update-org properties` → `UpdateOrgProperties`: the stem of the type names made from an id (an
 * operationId, an API id). One implementation for every tool, so the names they expect agree.
 */
export function pascalCase(name: string): string {
  return name.replace(/(?:^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}
