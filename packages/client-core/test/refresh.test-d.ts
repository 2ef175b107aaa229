// What a credential provider may be, by the types: compiled by `npm run typecheck`, never run.
import type { AnyClientOptions, BasicCredentials, ClientOptions, CredentialProvider } from "../src/index.ts";

const tokens: CredentialProvider = { current: () => "token", refresh: async () => "new token" };
const passwords: CredentialProvider<BasicCredentials> = {
  current: async () => ({ username: "ada", password: "old" }),
  refresh: () => ({ username: "ada", password: "new" }),
};

export const forms: (ClientOptions | AnyClientOptions)[] = [
  { apiKey: "key" },
  { apiKey: tokens },
  { apiKey: null },
  { credentials: { bearer: () => "token", basic: passwords, key: tokens } },
  // @ts-expect-error a provider needs refresh()
  { apiKey: { current: () => "token" } },
  // @ts-expect-error refresh() gives a credential, not anything
  { apiKey: { current: () => "token", refresh: () => 42 } },
  // @ts-expect-error the `apiKey` option takes a key or a provider of keys, not basic credentials
  { apiKey: passwords },
];

export const wrongValue: CredentialProvider = {
  // @ts-expect-error a provider of keys gives strings
  current: () => ({ username: "ada", password: "p" }),
  refresh: () => "k",
};
// @ts-expect-error a provider of basic credentials gives { username, password }
export const wrongBasic: CredentialProvider<BasicCredentials> = { current: () => "k", refresh: () => "k" };
// @ts-expect-error a provider gives keys or basic credentials, nothing else
export type Numbers = CredentialProvider<number>;
