import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { coldRunChart } from "../src/chart.ts";

const tasks = [
  { taskId: "@contracts/specs#lint", startMs: 0, ms: 4_000 },
  { taskId: "@contracts/bland#test", startMs: 6_000, ms: 14_000 },
  { taskId: '//#check <&"x">', startMs: 1_000, ms: 2_000 },
];

describe("the cold run's chart", () => {
  const svg = coldRunChart(tasks);

  it("is well-formed SVG, a task's name with XML's own characters included", () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain("//#check &lt;&amp;&quot;x&quot;&gt;");
  });

  it("draws each task from its start to its end on one axis, in the order they started", () => {
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*><title>([^<]+):/g)].map(
      ([, x, width, name]) => ({ name, x: Number(x), width: Number(width) }),
    );
    expect(bars.map((bar) => bar.name)).toEqual([
      "@contracts/specs#lint",
      "//#check &lt;&amp;&quot;x&quot;&gt;",
      "@contracts/bland#test",
    ]);
    const [lint, check, test] = bars;
    // The run ends at 20 s: the last task's bar ends where the axis does, and each width is its share of the run.
    expect(test!.x + test!.width).toBeCloseTo(lint!.x + (lint!.width * 20) / 4, 0);
    expect(check!.x).toBeCloseTo(lint!.x + lint!.width / 4, 0);
    expect(check!.width).toBeCloseTo(lint!.width / 2, 0);
  });
});
