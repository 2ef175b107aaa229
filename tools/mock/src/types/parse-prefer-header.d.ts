// parse-prefer-header ships no types: it turns `code=409, example=x` into { code: "409", example: "x" }.
declare module "parse-prefer-header" {
  export default function parsePreferHeader(header: string | string[]): Record<string, string | undefined>;
}
