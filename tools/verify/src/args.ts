/** `name=value` flags as a record; a malformed one prints what was expected and exits 2. */
export function assignments(flag: string, values: string[]): Record<string, string> {
  return Object.fromEntries(
    values.map((assignment) => {
      const at = assignment.indexOf("=");
      if (at <= 0) {
        console.error(`${flag} ${assignment}: expected <name>=<value>, e.g. ${flag} id=acme-corp`);
        process.exit(2);
      }
      return [assignment.slice(0, at), assignment.slice(at + 1)];
    }),
  );
}
