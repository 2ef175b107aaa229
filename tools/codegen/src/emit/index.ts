import type { ApiModel } from "../model.ts";
import { generatedHeader } from "./header.ts";

/** `src/index.ts`: the package's entry, the generated client module. */
export function emitIndexModule(api: ApiModel): string {
  return `${generatedHeader(api)}\nexport * from "./generated/client.js";\n`;
}
