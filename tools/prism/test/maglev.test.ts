import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import v8 from "node:v8";
import { expect, it } from "vitest";
// Loading the adapter is what keeps Maglev off Ajv's validators (see instance.ts).
import "../src/index.ts";

// %GetOptimizationStatus, V8's own word on how a function runs (in this test file's worker only).
v8.setFlagsFromString("--allow-natives-syntax");
const optimizationStatus = new Function("f", "return %GetOptimizationStatus(f)") as (f: unknown) => number;
/** V8's OptimizationStatus bit for code Maglev compiled (runtime-test.cc). */
const maglevved = 1 << 5;

/** The Ajv Prism validates with (its own dependency), as Prism creates it. */
const Ajv = (
  createRequire(createRequire(import.meta.url).resolve("@stoplight/prism-http"))("ajv") as {
    default: new (options: object) => { compile(schema: object): (value: unknown) => boolean };
  }
).default;

it("keeps V8's Maglev compiler off Ajv's validators, where a hot one of megabytes took gigabytes to compile", async () => {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
  // A small schema stands for Prism's giant ones (every $ref resolved in place): what matters is
  // the tier a hot validator reaches, not its size, which only makes Maglev's cost explode.
  const validate = ajv.compile({
    type: "object",
    properties: { name: { type: "string", maxLength: 20 }, tags: { type: "array", items: { type: "string" } } },
    required: ["name"],
  });
  // Another function just as hot, to show Maglev is on and reached in that time.
  const other = new Function("value", "return typeof value === 'object' && value !== null && 'name' in value;");
  const values = [{ name: "a", tags: ["x"] }, { name: 1 }, { tags: [] }, "text"];
  let validatorMaglevved = false;
  let otherMaglevved = false;
  for (let batch = 0; batch < 200 && !otherMaglevved; batch += 1) {
    for (let call = 0; call < 500; call += 1) {
      const value = values[call % values.length];
      validate(value);
      other(value);
    }
    // Maglev compiles concurrently: its code is installed between tasks.
    await sleep(5);
    validatorMaglevved ||= (optimizationStatus(validate) & maglevved) !== 0;
    otherMaglevved ||= (optimizationStatus(other) & maglevved) !== 0;
  }
  expect(otherMaglevved).toBe(true);
  expect(validatorMaglevved).toBe(false);
});
