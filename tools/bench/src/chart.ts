// The cold run drawn task by task, for docs/benchmarks.md. A handful of rectangles and labels: a
// template string, as a charting library would bring a DOM or a canvas for what SVG says in a few lines.
import type { TaskTime } from "./test-command.ts";

const rowHeight = 18;
const labelWidth = 300;
const barsWidth = 560;
const axisHeight = 24;

/** Text as SVG takes it inside an element or an attribute. */
const xmlText = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/**
 * A timeline of the run as SVG: one row per task in the order they started, its bar from its start
 * to its end on one time axis, so the tasks that ran at once and the ones the run waited on show.
 */
export function coldRunChart(tasks: TaskTime[]): string {
  const rows = [...tasks].sort((a, b) => a.startMs - b.startMs || a.taskId.localeCompare(b.taskId));
  const end = Math.max(1, ...rows.map((task) => task.startMs + task.ms));
  const x = (ms: number) => labelWidth + (barsWidth * ms) / end;
  const height = axisHeight + rows.length * rowHeight + 8;
  const width = labelWidth + barsWidth + 60;
  const bars = rows.map((task, index) => {
    const y = axisHeight + index * rowHeight;
    const label = xmlText(task.taskId);
    const seconds = (task.ms / 1000).toFixed(1);
    return [
      `  <text x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${label}</text>`,
      `  <rect x="${x(task.startMs).toFixed(1)}" y="${y + 3}" width="${Math.max(1, x(task.startMs + task.ms) - x(task.startMs)).toFixed(1)}" height="${rowHeight - 6}" fill="#4c78a8"><title>${label}: ${seconds} s</title></rect>`,
      `  <text x="${(x(task.startMs + task.ms) + 4).toFixed(1)}" y="${y + 13}">${seconds} s</text>`,
    ].join("\n");
  });
  const ticks = Array.from({ length: 6 }, (_, step) => (end * step) / 5).map(
    (ms) =>
      `  <line x1="${x(ms).toFixed(1)}" y1="${axisHeight - 4}" x2="${x(ms).toFixed(1)}" y2="${height - 8}" stroke="#ddd"/>\n` +
      `  <text x="${x(ms).toFixed(1)}" y="14" text-anchor="middle">${(ms / 1000).toFixed(0)} s</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">
${ticks.join("\n")}
${bars.join("\n")}
</svg>
`;
}
