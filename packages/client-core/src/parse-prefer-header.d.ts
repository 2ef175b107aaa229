// Prism's own parser of `Prefer` (RFC 7240), which ships no types: `code=409, example=x` to { code: "409", example: "x" }.
declare module "parse-prefer-header" {
  export default function parsePreferHeader(header: string | string[]): Record<string, string | true | undefined>;
}
