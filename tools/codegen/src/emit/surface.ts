import type { ApiModel } from "../model.ts";
import { clientSurface } from "../surface.ts";
import { doNotEditNote } from "./header.ts";

/** `src/generated/surface.json`: the package's declared surface (see `ClientSurface`). */
export function emitSurface(api: ApiModel): string {
  return `${JSON.stringify({ "//": doNotEditNote(api), ...clientSurface(api) }, null, 2)}\n`;
}
