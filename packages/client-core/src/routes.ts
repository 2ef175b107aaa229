/**
 * Which documented operation a request goes to: one reading for every front that routes (the Prism
 * mocks' server, the MSW handlers, the verify proxy), so that they agree. A path template matches a
 * path with each `{name}` one segment; a template may also be keyed by a query (OpenAI's
 * `/responses?beta=true` beside `/responses`: two operations on one path told apart by a query),
 * which the request must carry. Of the templates that match, the most specific wins: as OpenAPI
 * says, a concrete path before a templated one (`/pet/findByStatus` is not `/pet/{petId}`); then
 * the one keyed by the query the request carries before the plain one.
 */

/**
 * A path template as requests carry it: without a `#fragment`, which a spec may key two operations
 * on one path with (Box's `/files/{file_id}#get_shared_link` beside `/files/{file_id}`), and which
 * no request sends. Such operations are one request: the first of them the spec lists answers it.
 */
export const templateSent = (path: string): string => path.replace(/#.*$/, "");

/** What is routed to: an operation's method and its path as the spec keys it. */
export interface Routable {
  method: string;
  path: string;
}

export interface Routed<Operation> {
  /** The operation of the request's method on the most specific matching path; undefined if that path has none. */
  operation?: Operation;
  /** Its path parameters' values as the request wrote them (percent-encoded). */
  values: Record<string, string>;
  /** The methods documented on the most specific matching path, upper-case (405's `Allow`); empty when no path matches. */
  allow: string[];
}

/** One documented path: what its template asks of a request, and its operations. */
interface Template<Operation> {
  pattern: RegExp;
  names: string[];
  query: [string, string][];
  operations: Operation[];
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A template's literal text as a request's URL writes it: each character a URL percent-encodes
 * (`<`, a space, `é`) as written or encoded, the hex in either case. DigitalOcean's `/<upload_url>`
 * arrives as `/%3Cupload_url%3E`.
 */
const literalPattern = (text: string) =>
  [...text]
    .map((char) => {
      const encoded = encodeURI(char);
      if (encoded === char) return escaped(char);
      return `(?:${escaped(char)}|${encoded.replace(/[A-F]/g, (digit) => `[${digit}${digit.toLowerCase()}]`)})`;
    })
    .join("");

function templateOf<Operation extends Routable>(key: string, operations: readonly Operation[]): Template<Operation> {
  const [path = "", query = ""] = templateSent(key).split(/\?(.*)/s);
  const names: string[] = [];
  const pattern = path
    .split(/(\{[^}]+\})/)
    .map((part, index) => {
      if (index % 2 === 0) return literalPattern(part);
      names.push(part.slice(1, -1));
      return "([^/]+)";
    })
    .join("");
  const pairs: [string, string][] = [];
  new URLSearchParams(query).forEach((value, name) => {
    pairs.push([name, value]);
  });
  const onPath = operations.filter((operation) => operation.path === key);
  return { pattern: new RegExp(`^${pattern}$`), names, query: pairs, operations: onPath };
}

/** Most specific first: fewer `{parameters}`, then more query keys. */
const bySpecificity = (a: Template<unknown>, b: Template<unknown>) =>
  a.names.length - b.names.length || b.query.length - a.query.length;

/**
 * A router of requests to `operations`: given a request's method (any case), its path (under the
 * base URL) and its query. Templates equally specific (ambiguous paths, `/a/{x}` beside `/{y}/b`)
 * are taken together: the method picks among them.
 */
export function routerOf<Operation extends Routable>(
  operations: readonly Operation[],
): (method: string, path: string, query: URLSearchParams) => Routed<Operation> {
  const templates = [...new Set(operations.map((operation) => operation.path))]
    .map((key) => templateOf(key, operations))
    .sort(bySpecificity);
  return (method, path, query) => {
    const matching: { template: Template<Operation>; match: RegExpExecArray }[] = [];
    for (const template of templates) {
      if (matching.length > 0 && bySpecificity(matching[0]!.template, template) !== 0) break;
      const match = template.pattern.exec(path);
      if (match && template.query.every(([name, value]) => query.getAll(name).includes(value)))
        matching.push({ template, match });
    }
    const onPath = matching.flatMap(({ template }) => template.operations);
    const allow = [...new Set(onPath.map((operation) => operation.method.toUpperCase()))];
    const wanted = method.toLowerCase();
    for (const { template, match } of matching) {
      const operation = template.operations.find((candidate) => candidate.method.toLowerCase() === wanted);
      if (operation) {
        const values = Object.fromEntries(template.names.map((name, index) => [name, match[index + 1]!]));
        return { operation, values, allow };
      }
    }
    return { values: {}, allow };
  };
}
