export interface Sample {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: sorted.length };
}

/** `0.61 s (0.58–0.70, 7 runs)` */
export function describe(sample: Sample, unit: string, digits = 2): string {
  const format = (value: number) => value.toFixed(digits);
  return `${format(sample.median)} ${unit} (${format(sample.min)}–${format(sample.max)}, ${sample.runs} runs)`;
}

/** A sample of milliseconds in seconds: `1.05 s (0.98–1.20, 7 runs)`. */
export const describeSeconds = (sample: Sample): string =>
  describe({ median: sample.median / 1000, min: sample.min / 1000, max: sample.max / 1000, runs: sample.runs }, "s");
