// Usage: node src/call-loop.ts <variant> <calls>: makes that many calls of one variant, one after
// another, after the same warm-up every run has. Run under callgrind by src/call-instructions.ts.
import { type CallVariant, callVariants } from "./call-variants.ts";

const [variant, calls] = [process.argv[2] as CallVariant, Number(process.argv[3])];
const call = callVariants[variant];
if (!call || !Number.isInteger(calls)) {
  console.error(`usage: node call-loop.ts <${Object.keys(callVariants).join("|")}> <calls>`);
  process.exit(2);
}
const warmUpCalls = 3000;
for (let index = 0; index < warmUpCalls + calls; index += 1) await call();
