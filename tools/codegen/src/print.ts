/**
 * The one way spec text reaches a generated file. A spec is third-party input (a vendor's
 * descriptions, a pull request's summary), so every string from it is written through the
 * function of the context it lands in: a comment, a string or template literal, a property key,
 * an identifier, Markdown text, a table cell, a code span or block, an HTML comment. Each keeps the
 * text's meaning and makes it unable to leave its context. Written by hand: the TypeScript
 * printer escapes literals but not comment text, and no Markdown library escapes for writing.
 */

/** A file's content in an example value: printed as a Blob, what the typed client takes there. */
export class FileExample {
  readonly content: string;
  constructor(content: string) {
    this.content = content;
  }
}

/** Line terminators as JavaScript reads them (U+2028 and U+2029 end a `//` comment too) and as Markdown does. */
const lineTerminators = /\r\n|[\n\r\u2028\u2029]/g;
const hasLineTerminator = /[\n\r\u2028\u2029]/;

/** Text on one line: every line break a space. */
export const oneLine = (text: string) => text.replaceAll(lineTerminators, " ");

// TypeScript

/** A string literal. JSON's escaping, with U+2028 and U+2029 escaped too (older parsers end a string there). */
export function tsString(text: string): string {
  return JSON.stringify(text).replaceAll("\u2028", "\\u2028").replaceAll("\u2029", "\\u2029");
}

const identifierPattern = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/**
 * A name the model made an identifier (a method or type name): refused if it is not one, since it
 * is written bare into code.
 */
export function tsIdentifier(name: string): string {
  if (!identifierPattern.test(name)) throw new Error(`Not an identifier, so not written into code: ${tsString(name)}`);
  return name;
}

/**
 * An object literal's key: bare where it is an identifier, else quoted; `__proto__` computed, since
 * written plainly (quoted or not) it sets the object's prototype instead of a property.
 */
export function tsKey(name: string): string {
  if (name === "__proto__") return `[${tsString(name)}]`;
  return identifierPattern.test(name) ? name : tsString(name);
}

/** A member name in a type (an interface or type literal), where `__proto__` is an ordinary name: quoted unless an identifier. */
export const tsTypeKey = (name: string) => (identifierPattern.test(name) ? name : tsString(name));

/**
 * A JSON value (with `FileExample`s) as a TypeScript expression, keys unquoted where they can be,
 * as a person would write it. Multi-line when given an indent, else one line.
 */
export function tsLiteral(value: unknown, indent?: string): string {
  const inner = indent === undefined ? undefined : `${indent}  `;
  const layout = (open: string, items: string[], close: string) => {
    if (items.length === 0) return `${open}${close}`;
    if (inner === undefined) return open === "{" ? `{ ${items.join(", ")} }` : `[${items.join(", ")}]`;
    return `${open}\n${items.map((item) => `${inner}${item},`).join("\n")}\n${indent}${close}`;
  };
  if (value instanceof FileExample) return `new Blob([${tsString(value.content)}])`;
  if (Array.isArray(value))
    return layout(
      "[",
      value.map((item) => tsLiteral(item, inner)),
      "]",
    );
  if (typeof value === "object" && value !== null)
    return layout(
      "{",
      Object.entries(value).map(([name, item]) => `${tsKey(name)}: ${tsLiteral(item, inner)}`),
      "}",
    );
  if (typeof value === "string") return tsString(value);
  return JSON.stringify(value) ?? "undefined";
}

/**
 * A JSON value as an expression that builds exactly it: `JSON.parse` of its text, so no key (not
 * even `__proto__`) is read as syntax, and large data parses faster than an object literal.
 */
export const tsJsonValue = (value: unknown) => `JSON.parse(${tsString(JSON.stringify(value))})`;

/** Text inside a block comment: `*\/` cannot close it. */
const inBlockComment = (text: string) => text.replaceAll("*/", "*\\/");

/** The repository formatter's line width; a doc comment that does not fit is wrapped a little shorter. */
const lineWidth = 120;
const commentWidth = 100;

/** A line's words wrapped to `width` columns (a word longer than that keeps a line of its own). */
function wrapped(line: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of line.split(" ")) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...lines, current];
}

/**
 * A doc comment of `text` (its line breaks kept, long lines wrapped), each line behind ` * ` at
 * `indent`; on one line where it fits.
 */
export function docComment(text: string, indent = ""): string {
  const single = `${indent}/** ${inBlockComment(text.trim())} */`;
  if (!hasLineTerminator.test(text.trim()) && single.length <= lineWidth) return single;
  const width = commentWidth - indent.length - 3;
  const lines = inBlockComment(text.trim())
    .split(lineTerminators)
    .flatMap((line) => wrapped(line, width));
  const starred = lines.map((line) => `${indent} * ${line}`.trimEnd());
  return [`${indent}/**`, ...starred, `${indent} */`].join("\n");
}

/** A `//` comment: on one line, since any line terminator (U+2028 included) would end it and start code. */
export const lineComment = (text: string) => `// ${oneLine(text)}`;

/** Text inside a template literal: no backtick ends it and no `${` opens a hole. */
export const templateText = (text: string) =>
  text.replaceAll("\\", "\\\\").replaceAll("`", "\\`").replaceAll("${", "\\${");

// Markdown (CommonMark with GitHub's tables)

/**
 * Inline Markdown text: on one line (no new block can start) with every character that could open
 * markup backslash-escaped, `|` among them, so it can also stand in a table cell.
 */
export const mdText = (text: string) => oneLine(text).replaceAll(/[\\`*_[\]<>|&~!#]/g, "\\$&");

/**
 * A code span of `text`: delimited by a backtick run longer than any inside it. In a table cell a
 * `|` is escaped (GitHub's tables split a row on it even in code, and take `\|` there as `|`).
 */
export function mdCode(text: string, where: "text" | "cell" = "text"): string {
  const flat = oneLine(text);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const padded = /^[` ]|[` ]$/.test(flat) ? ` ${flat} ` : flat;
  return `${fence}${where === "cell" ? padded.replaceAll("|", "\\|") : padded}${fence}`;
}

/** A fenced code block of `code`: its fence longer than any backtick run inside, so nothing in it closes it. */
export function mdCodeBlock(code: string, language: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${code.endsWith("\n") ? code : `${code}\n`}${fence}`;
}

/** A link destination: as it is where nothing in it could end it, else in angle brackets with `<`, `>` and `\\` encoded. */
export const mdLinkTarget = (target: string) =>
  /^[^\s()<>\\]+$/.test(target)
    ? target
    : `<${oneLine(target).replaceAll(/[<>\\]/g, (character) => encodeURIComponent(character))}>`;

/** Text inside an HTML comment (`<!-- -->`): no `--` can end it. */
export const htmlCommentText = (text: string) => oneLine(text).replaceAll("--", "- -").replaceAll(">", "&gt;");
