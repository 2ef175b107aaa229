import { createRequire } from "node:module";
import v8 from "node:v8";
import { createLogger } from "@stoplight/prism-core";
import {
  createInstance,
  type IHttpConfig,
  type PrismHttpComponents,
  type PrismHttpInstance,
} from "@stoplight/prism-http";

/**
 * What every Prism of ours checks: the request and the answer against the spec, security
 * included. `errors: false`: a violation is reported, never turned into Prism's own error answer
 * (the mock answers with the documented error body; a proxy forwards, and the upstream decides).
 */
export function prismConfig(mode: { dynamic: boolean } | { upstream: URL }): IHttpConfig {
  const checks = { validateRequest: true, validateResponse: true, checkSecurity: true, errors: false } as const;
  return "upstream" in mode
    ? { ...checks, isProxy: true, upstream: mode.upstream, upstreamProxy: undefined, mock: { dynamic: false } }
    : { ...checks, isProxy: false, upstreamProxy: undefined, mock: { dynamic: mode.dynamic } };
}

/** The part of json-schema-faker's module used here. */
interface JsonSchemaFaker {
  JSONSchemaFaker: { option(options: Record<string, unknown>): void };
}

// --dynamic: Prism's generator (its own json-schema-faker, one per process) adds keys with random
// names to every object whose schema does not forbid them (`fillProperties`, on in `prism mock -d`).
// A generated body shows what the schema declares: every declared property and nothing else.
const prismRequire = createRequire(createRequire(import.meta.url).resolve("@stoplight/prism-http"));
(prismRequire("json-schema-faker") as JsonSchemaFaker).JSONSchemaFaker.option({ fillProperties: false });
/** The part of ajv-formats' module used here: its formats in full and fast mode. */
interface AjvFormats {
  fullFormats: { email: RegExp };
  fastFormats: { email: RegExp };
}

// Prism checks `format: email` with ajv-formats' full one, which wants a dotted domain where RFC 5321
// takes one label (`ops@localhost`), as the project's validators do (specAjv). Prism's Ajv instances are
// internal to it and hold this RegExp: its test is the fast one's.
const prismFormats = prismRequire("ajv-formats/dist/formats") as AjvFormats;
Object.defineProperty(prismFormats.fullFormats.email, "test", {
  value: (text: string) => prismFormats.fastFormats.email.test(text),
});

/** The functions V8's Maglev compiler leaves alone: Ajv's generated validators (see below). */
const maglevFilter = "-validate*";

/**
 * V8's Maglev compiler is kept off Ajv's validators (Ajv names every function it generates
 * `validate<n>`); TurboFan still takes those below its bytecode limit (--max-optimized-bytecode-size).
 * Prism compiles each schema of an operation as it holds it, every `$ref` resolved in place, into
 * one function: on a large spec that is megabytes of code (Discord's interaction callback: 2.5 MB
 * for its request body, more for its answer's). Maglev compiles a function once it is hot (a few
 * hundred calls: the contract tests send each operation's cases twice, the mock serves for hours),
 * whatever its size, and its analysis of a function that size took gigabytes outside the JS heap
 * within a second: Discord's contract tests grew to 15-18 GB and were killed, late in the run.
 * One process-wide flag, set where Prism is loaded (the mock, verify, the proxy, their tests).
 */
v8.setFlagsFromString(`--maglev-filter=${maglevFilter}`);

/** A Prism instance for one API, logging nothing (our fronts report each request themselves). */
export function createPrism(
  apiId: string,
  config: IHttpConfig,
  forward?: PrismHttpComponents["forward"],
): PrismHttpInstance {
  return createInstance(config, {
    logger: createLogger(apiId, { level: "silent" }),
    ...(forward && { forward }),
  });
}
