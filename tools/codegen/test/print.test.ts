// biome-ignore-all lint/suspicious/noTemplateCurlyInString: spec text holds template holes, as written
import { describe, expect, it } from "vitest";
import {
  docComment,
  FileExample,
  htmlCommentText,
  lineComment,
  mdCode,
  mdCodeBlock,
  mdLinkTarget,
  mdText,
  templateText,
  tsIdentifier,
  tsKey,
  tsLiteral,
  tsString,
} from "../src/print.ts";

/** Evaluates generated code as a module body would, returning what it builds. */
const evaluate = (expression: string) => new Function(`return (${expression});`)();

const hostile = "a */ b /* c ` ${d} ' \" | \\ <!-- --> \u2028 e \u2029 f \n g";

describe("the printer, per context", () => {
  it("writes a doc comment that no text can close, wrapping long lines", () => {
    expect(docComment("Acme */ globalThis.x = 1; /*")).toMatchInlineSnapshot(`"/** Acme *\\/ globalThis.x = 1; /* */"`);
    expect(docComment("one\ntwo\u2028three", "  ")).toMatchInlineSnapshot(`
      "  /**
         * one
         * two
         * three
         */"
    `);
    expect(docComment(`${"word ".repeat(30)}end`).split("\n").length).toBeGreaterThan(3);
  });

  it("keeps a line comment on one line whatever line terminator the text holds", () => {
    expect(lineComment("a\nb\u2028globalThis.x = 1\u2029c\r\nd")).toBe("// a b globalThis.x = 1 c d");
  });

  it("writes string literals and template text that read back as the text", () => {
    expect(evaluate(tsString(hostile))).toBe(hostile);
    expect(tsString("\u2028")).toBe('"\\u2028"');
    expect(evaluate(`\`${templateText(hostile)}\``)).toBe(hostile);
  });

  it("writes keys that make own properties, __proto__ included", () => {
    expect([tsKey("name"), tsKey("two words"), tsKey("__proto__"), tsKey("1a")]).toEqual([
      "name",
      '"two words"',
      '["__proto__"]',
      '"1a"',
    ]);
    // JSON.parse makes `__proto__` an own property, as a spec's example has it.
    const value = JSON.parse(`{ ${JSON.stringify(hostile)}: [1, { "__proto__": "kept" }], "plain": null }`);
    const built = evaluate(tsLiteral(value, ""));
    expect(built).toEqual(value);
    expect(Object.getOwnPropertyNames(built[hostile][1])).toEqual(["__proto__"]);
  });

  it("writes a file example as a Blob, and a string that looks like one as a string", () => {
    expect(tsLiteral({ file: new FileExample("PNG"), text: "\u0000blob:x" })).toBe(
      '{ file: new Blob(["PNG"]), text: "\\u0000blob:x" }',
    );
  });

  it("refuses to write a name that is not an identifier bare", () => {
    expect(tsIdentifier("getItem$2")).toBe("getItem$2");
    expect(() => tsIdentifier("a*/b")).toThrow(/Not an identifier/);
  });

  it("writes Markdown text that opens no markup and keeps a table row's cells", () => {
    expect(mdText("a | b *c* `d` <!-- e\nf")).toMatchInlineSnapshot(`"a \\| b \\*c\\* \\\`d\\\` \\<\\!-- e f"`);
    const row = `| ${mdText(hostile)} | ${mdCode(hostile, "cell")} |`;
    expect(row.split(/(?<!\\)\|/).length).toBe(4);
  });

  it("writes code spans and blocks no backtick run inside can close", () => {
    expect(mdCode("a ` b")).toBe("``a ` b``");
    expect(mdCode("`tick`")).toBe("`` `tick` ``");
    expect(mdCode("a|b", "cell")).toBe("`a\\|b`");
    expect(mdCodeBlock("const a = `x`;\n```\n", "ts")).toBe("````ts\nconst a = `x`;\n```\n````");
  });

  it("writes link targets and HTML comment text that cannot end early", () => {
    expect(mdLinkTarget("../specs/a.yaml")).toBe("../specs/a.yaml");
    expect(mdLinkTarget("../specs/a b).yaml")).toBe("<../specs/a b).yaml>");
    expect(htmlCommentText("a --> b")).toBe("a - -&gt; b");
  });
});
