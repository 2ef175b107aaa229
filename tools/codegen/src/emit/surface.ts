import type { Emitter } from "../emitter.ts";
import { doNotEditNote } from "../header.ts";
import type { ApiModel } from "../model.ts";
import { clientSurface, surfaceFile } from "../surface.ts";

/** `src/generated/surface.json`: the package's declared surface (see `ClientSurface`). */
export function emitSurface(api: ApiModel): string {
  return `${JSON.stringify({ "//": doNotEditNote(api), ...clientSurface(api) }, null, 2)}\n`;
}

export const surfaceEmitter: Emitter = { name: "surface", files: (api) => ({ [surfaceFile]: emitSurface(api) }) };
