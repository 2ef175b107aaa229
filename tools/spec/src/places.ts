import { readFileSync } from "node:fs";
import path from "node:path";
import { getNodeValue, type Node, parseTree } from "jsonc-parser";
import { pointerSegments } from "./pointers.ts";

/**
 * Where a JSON pointer of a bundled spec is written in the spec's own files: `file:line`, following
 * `$ref`s into other files as the bundle did. A YAML file is read line by line, cheap by design (a
 * large spec's full YAML parse with positions takes seconds): block mappings and sequences are
 * followed key by key. A `.json` file is read by jsonc-parser's tree, which keeps each value's
 * offset. Undefined where the place is not found so (inside a YAML flow collection, or in a
 * component the bundle named itself).
 */
export function placeFinder(specPath: string): (pointer: string) => Place | undefined {
  const texts = new Map<string, Walker | undefined>();
  const walkerOf = (file: string) => {
    if (!texts.has(file)) {
      try {
        const content = readFileSync(file, "utf8");
        texts.set(file, file.toLowerCase().endsWith(".json") ? jsonWalker(content) : yamlWalker(content));
      } catch {
        texts.set(file, undefined);
      }
    }
    return texts.get(file);
  };
  return (pointer) => placeIn(walkerOf, specPath, pointer);
}

/** How far `segments` lead from the top of a file: the line (0-based) of the deepest one found, the segments left, and the `$ref` written where it stopped, if any. */
type Walker = (segments: string[]) => { line: number | undefined; rest: string[]; ref?: string };

/** A YAML file's walker: its lines and their indentation measured once. */
function yamlWalker(content: string): Walker {
  const text = textOf(content);
  return (segments) => walk(text, segments);
}

/** A JSON file's walker: its tree parsed once, each value's line from its offset. */
function jsonWalker(content: string): Walker | undefined {
  const root = parseTree(content);
  if (root === undefined) return undefined;
  const lineStarts = [0];
  for (let index = content.indexOf("\n"); index >= 0; index = content.indexOf("\n", index + 1))
    lineStarts.push(index + 1);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const childAt = (node: Node, segment: string): { at: Node; value: Node } | undefined => {
    if (node.type === "array") {
      const item = node.children?.[Number(segment)];
      return /^\d+$/.test(segment) && item ? { at: item, value: item } : undefined;
    }
    const property = node.children?.find((child) => child.children?.[0]?.value === segment);
    return property?.children?.[1] && { at: property, value: property.children[1] };
  };
  return (segments) => {
    let node = root;
    let line: number | undefined;
    for (let index = 0; index < segments.length; index += 1) {
      const child = childAt(node, segments[index]!);
      if (child === undefined) {
        const ref = childAt(node, "$ref")?.value;
        return { line, rest: segments.slice(index), ...(ref && { ref: String(getNodeValue(ref)) }) };
      }
      line = lineOf(child.at.offset);
      node = child.value;
    }
    return { line, rest: [] };
  };
}

/** A file and a line in it (1-based). */
export interface Place {
  file: string;
  line: number;
}

function placeIn(walkerOf: (file: string) => Walker | undefined, specPath: string, pointer: string): Place | undefined {
  let file = specPath;
  let segments = pointerSegments(pointer);
  // Each `$ref` followed starts over in its file; a cycle of them gives up.
  for (let hops = 0; hops < 16; hops += 1) {
    const walker = walkerOf(file);
    if (!walker) return undefined;
    const found = walker(segments);
    if (found.rest.length === 0) return found.line === undefined ? undefined : { file, line: found.line + 1 };
    if (found.ref === undefined) return undefined;
    const [target, fragment = ""] = found.ref.split("#");
    if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) return undefined;
    if (target) file = path.resolve(path.dirname(file), decodeURIComponent(target));
    segments = [...pointerSegments(fragment), ...found.rest];
  }
  return undefined;
}

/** A file's lines, and each one's indentation (-1 for a blank or comment line), measured once. */
interface Text {
  lines: string[];
  indents: Int32Array;
}

function textOf(content: string): Text {
  const lines = content.split(/\r?\n/);
  const indents = new Int32Array(lines.length);
  lines.forEach((line, index) => {
    const indent = line.length - line.trimStart().length;
    indents[index] = indent === line.length || line[indent] === "#" ? -1 : indent;
  });
  return { lines, indents };
}

/** A line's key, unquoted, if it is `key:` at this column. */
function keyAt(line: string, column: number): string | undefined {
  const text = line.slice(column);
  const match = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s'"#][^:]*?))\s*:(?:\s|$)/.exec(text);
  if (!match) return undefined;
  if (match[1] !== undefined) return JSON.parse(`"${match[1]}"`) as string;
  if (match[2] !== undefined) return match[2].replaceAll("''", "'");
  return match[3];
}

/**
 * Follows `segments` from the top of a YAML text: the line of the deepest one found, the segments
 * left, and the `$ref` written where it stopped, if any.
 */
function walk(
  { lines, indents }: Text,
  segments: string[],
): { line: number | undefined; rest: string[]; ref?: string } {
  // The block being searched: its lines [start, end) and the column its entries start at (the first
  // line's may sit after a `- `).
  let start = 0;
  let end = lines.length;
  let firstColumn: number | undefined;
  let found: number | undefined;
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index]!;
    let first = start;
    while (first < end && indents[first]! < 0) first += 1;
    if (first >= end) return { line: found, rest: segments.slice(index) };
    const column = first === start && firstColumn !== undefined ? firstColumn : indents[first]!;
    const entryColumn = (line: number) => (line === start && firstColumn !== undefined ? firstColumn : undefined);
    const isEntry = (line: number) => indents[line]! >= 0 && (entryColumn(line) ?? indents[line]!) === column;
    const refHere = () => {
      for (let line = first; line < end; line += 1)
        if (isEntry(line) && keyAt(lines[line]!, column) === "$ref")
          return lines[line]!.slice(column)
            .replace(/^"?\$ref"?\s*:\s*/, "")
            .trim()
            .replace(/^['"]|['"]$/g, "");
      return undefined;
    };
    let at: number | undefined;
    let itemColumn: number | undefined;
    if (lines[first]!.slice(column).startsWith("- ") || lines[first]!.slice(column) === "-") {
      // A sequence: the n-th `- ` at this column.
      let count = -1;
      for (let line = first; line < end && at === undefined; line += 1) {
        if (!isEntry(line) || !lines[line]!.slice(column).startsWith("-")) continue;
        count += 1;
        if (String(count) === segment) {
          at = line;
          itemColumn = column + 2;
        }
      }
    } else {
      for (let line = first; line < end && at === undefined; line += 1)
        if (isEntry(line) && keyAt(lines[line]!, column) === segment) at = line;
    }
    if (at === undefined) return { line: found, rest: segments.slice(index), ref: refHere() };
    found = at;
    // The entry's block: the lines after it indented deeper (a sequence item's own line included).
    let after = at + 1;
    while (after < end && (indents[after]! < 0 || indents[after]! > column)) after += 1;
    if (itemColumn !== undefined && lines[at]!.slice(itemColumn).trim() !== "") {
      start = at;
      firstColumn = itemColumn;
    } else {
      start = at + 1;
      firstColumn = undefined;
    }
    end = after;
  }
  return { line: found, rest: [] };
}
