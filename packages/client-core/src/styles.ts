// Parameters on the wire, in OpenAPI's styles: written by the client and the cases, read by the
// MSW mocks and the Prism front (through the spec layer).

/** The pairs of a Cookie header, in order (a name repeats for an exploded list), each value percent-decoded where it can be. */
export function cookiePairs(header: string | null | undefined): [name: string, value: string][] {
  return (header ?? "").split(";").flatMap((pair) => {
    const at = pair.indexOf("=");
    return at < 0 ? [] : [[pair.slice(0, at).trim(), decoded(pair.slice(at + 1).trim())]];
  });
}

/** `text` percent-decoded; as it is where it is no valid percent-encoding (as browsers and the `cookie` package read cookies). */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
