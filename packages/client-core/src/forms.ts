// Form bodies as OpenAPI's Encoding Object writes them: a module that wire.ts loads only for a
// call that sends a form, so that apps without forms never load it. It imports nothing at run
// time (wire.ts passes what it shares): a bundler would put shared code in a chunk of its own,
// which every app then loads up front.
import type { OperationDetails } from "./client.ts";
import type { Style } from "./styles.ts";

/** What wire.ts passes the forms. */
type Wire = Pick<typeof import("./styles.ts"), "queryString"> & Pick<typeof import("./media.ts"), "isJson">;

/**
 * A field without a style as OpenAPI's default writes it: an array item by item, each a Blob as
 * given, an object (anything in a field of a JSON type) as its JSON, else its text; nothing for
 * undefined or null.
 */
function defaultItems(value: unknown, type: string, isJson: Wire["isJson"]): (string | Blob)[] {
  return [value]
    .flat()
    .filter((item) => item !== undefined && item !== null)
    .map((item) =>
      item instanceof Blob ? item : typeof item === "object" || isJson(type) ? JSON.stringify(item) : String(item),
    );
}

/**
 * How the operation's form bodies are written. A field with a style (`fieldStyles`) goes as a
 * query parameter of that style (`a=1,2`, `o[k]=v`, `k=v`, ...), any other as OpenAPI's default
 * (see `defaultItems`). `application/x-www-form-urlencoded` is written as a query string is;
 * `multipart/form-data` a part per `name=value` pair or item, a Blob as a file, and a field of a
 * media type of its own (`fieldTypes`) as a Blob of that type.
 */
export function formSerializer(
  {
    requestType,
    fieldStyles = {},
    fieldTypes = {},
  }: Pick<OperationDetails, "requestType" | "fieldTypes"> & { fieldStyles?: Record<string, Style> },
  { queryString, isJson }: Wire,
): (body: Record<string, unknown>) => FormData | string {
  const items = (name: string, value: unknown) => defaultItems(value, fieldTypes[name] ?? "", isJson);
  if (requestType !== "multipart/form-data")
    return (body) =>
      queryString(
        Object.fromEntries(
          Object.entries(body).map(([name, value]) => [name, fieldStyles[name] ? value : items(name, value)]),
        ),
        fieldStyles,
      );
  return (body) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(body)) {
      const style = fieldStyles[name];
      const type = fieldTypes[name];
      if (style)
        // Written percent-encoded, then read back: nothing in a part is encoded.
        new URLSearchParams(queryString({ [name]: value }, { [name]: { ...style, allowReserved: false } })).forEach(
          (text, field) => {
            form.append(field, text);
          },
        );
      else
        for (const item of items(name, value))
          form.append(name, type && typeof item === "string" ? new Blob([item], { type }) : item);
    }
    return form;
  };
}
