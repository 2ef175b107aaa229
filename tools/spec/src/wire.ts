// The wire, client-core's: credentials and parameter styles, written and read once. The clients ship
// it, so it lives there and the spec layer passes it on to the tools (from its source, as media.ts).
export { credentialText, placeCredential, sentCredential } from "../../../packages/client-core/src/credential-wire.ts";
export { formSerializer } from "../../../packages/client-core/src/forms.ts";
export {
  cookieHeader,
  cookiePairs,
  fromText,
  listDelimiters,
  queryString,
  type Style,
  simpleText,
  styleOf,
  stylesField,
} from "../../../packages/client-core/src/styles.ts";
