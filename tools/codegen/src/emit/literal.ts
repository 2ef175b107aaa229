/**
 * A JSON value as a TypeScript literal with keys unquoted where they can be, as a person would
 * write it (JSON.stringify quotes every key). Multi-line when given an indent, else one line.
 */
export function tsLiteral(value: unknown, indent?: string): string {
  const inner = indent === undefined ? undefined : `${indent}  `;
  const layout = (open: string, items: string[], close: string) => {
    if (items.length === 0) return `${open}${close}`;
    if (inner === undefined) return open === "{" ? `{ ${items.join(", ")} }` : `[${items.join(", ")}]`;
    return `${open}\n${items.map((item) => `${inner}${item},`).join("\n")}\n${indent}${close}`;
  };
  if (Array.isArray(value))
    return layout(
      "[",
      value.map((item) => tsLiteral(item, inner)),
      "]",
    );
  if (typeof value === "object" && value !== null) {
    const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
    return layout(
      "{",
      Object.entries(value).map(([name, item]) => `${key(name)}: ${tsLiteral(item, inner)}`),
      "}",
    );
  }
  return JSON.stringify(value) ?? "undefined";
}
