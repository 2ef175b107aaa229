import { callTestsEmitter } from "./emit/call-tests.ts";
import { clientEmitter } from "./emit/client.ts";
import { entryEmitter } from "./emit/entry.ts";
import { mswEmitter } from "./emit/msw.ts";
import { packageEmitter } from "./emit/package.ts";
import { readmeEmitter } from "./emit/readme.ts";
import { schemaEmitter } from "./emit/schema.ts";
import { surfaceEmitter } from "./emit/surface.ts";
import { testsEmitter } from "./emit/tests.ts";
import { typeTestsEmitter } from "./emit/type-tests.ts";
import { validatorsEmitter } from "./emit/validators.ts";
import type { Emitter } from "./emitter.ts";

/** Every output of a client package, each from its own emitter: adding an output is adding an emitter here. */
export const emitters: Emitter[] = [
  packageEmitter,
  readmeEmitter,
  entryEmitter,
  schemaEmitter,
  clientEmitter,
  validatorsEmitter,
  mswEmitter,
  surfaceEmitter,
  typeTestsEmitter,
  callTestsEmitter,
  testsEmitter,
];
