/**
 * Loaded first (`node --import`) into every Redocly process the spec layer starts (redocly.ts):
 * the toolchain reads no URL. Redocly resolves every `$ref` it meets, those inside an example's
 * value included (SCIM data holds `"$ref": "https://..."`), and every `externalValue`, by the
 * global `fetch`; here that `fetch` never reaches the network.
 *
 * By default it refuses, with the URL and the fix: a lint then reports a `$ref` the spec needs (in
 * a schema) as unresolved, at its `file:line:col`, in these words. With `CONTRACTS_URL_STAND_IN`
 * set (the bundle), it answers every URL with that text and the URL instead, as a string: the
 * bundle keeps an example's `$ref` as written, and inlines a remote `externalValue` as that text,
 * which redocly.ts puts back as the `externalValue` it was.
 */
const standIn = process.env.CONTRACTS_URL_STAND_IN;

globalThis.fetch = async (input: string | URL | Request): Promise<Response> => {
  const url = input instanceof Request ? input.url : String(input);
  if (standIn) return new Response(JSON.stringify(`${standIn}${url}`), { headers: { "content-type": "text/plain" } });
  throw new Error(
    `${url} is not fetched: the toolchain reads no URL; save a copy of it beside the spec and $ref that file instead`,
  );
};
