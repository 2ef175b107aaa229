/**
 * Integers as the validators read them. JavaScript numbers are doubles, exact only up to 2^53:
 * Prism's spec reader bounds every `int64` by that (refusing valid ids such as
 * 9223372036854775806); here an `int64` is bounded by ±(2^63 - 1), as OpenAPI means. An integer
 * just beyond int64 has a double that rounds onto that bound; its text is read as the next double
 * beyond it instead, which the bound then refuses.
 */

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);

/** The bounds of `format: int64`, as doubles (2^63 - 1 is 2^63 as a double). */
export const int64Bounds = { minimum: Number(int64Min), maximum: Number(int64Max) };

/** The next double beyond ±2^63 (doubles there are 2048 apart). */
const beyondInt64 = "9223372036854777856";

/** An integer's text, unless it lies beyond int64 but its double rounds onto the bound: then a text beyond the bound. */
export function exactIntegerText(text: string): string {
  const trimmed = text.trim();
  if (!/^-?\d{19,}$/.test(trimmed)) return text;
  const value = BigInt(trimmed);
  if (value >= int64Min && value <= int64Max) return text;
  if (Math.abs(Number(trimmed)) !== 2 ** 63) return text;
  return value > 0n ? beyondInt64 : `-${beyondInt64}`;
}

/** JSON as the validators read it: each integer beyond int64 stays beyond it (see `exactIntegerText`). */
export const parseJson = (text: string): unknown =>
  JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && context?.source !== undefined ? Number(exactIntegerText(context.source)) : value,
  );
