import type { Emitter } from "../emitter.ts";
import { generatedHeader } from "../header.ts";
import type { ApiModel } from "../model.ts";

/** `src/index.ts`: the package's entry, the generated client module. */
export function emitIndexModule(api: ApiModel): string {
  return `${generatedHeader(api)}\nexport * from "./generated/client.js";\n`;
}

export const entryEmitter: Emitter = { name: "entry", files: (api) => ({ "src/index.ts": emitIndexModule(api) }) };
