// The one reading of media types, client-core's: the clients ship it, so it lives there and the spec
// layer passes it on to the tools. From its source, not its build: generation runs before
// client-core is built (see tools/codegen/src/defaults-text.ts).
export { contentTypeOf, essence, isJson, isXml } from "../../../packages/client-core/src/media.ts";
