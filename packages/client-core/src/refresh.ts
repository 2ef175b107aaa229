// Credential providers: a module that credentials.ts loads only for a call that holds one, so
// apps without providers never load it. It imports nothing at run time (credentials.ts passes
// what it shares, even the error): a bundler would put shared code in a chunk of its own, which
// every app then loads up front.
import type { AuthScheme, BasicCredentials, CallCredentials, Credential, CredentialProvider } from "./credentials.ts";

type Value = string | BasicCredentials;
type Provider = CredentialProvider<string> | CredentialProvider<BasicCredentials>;

const isProvider = (credential: Credential): credential is Provider =>
  typeof credential === "object" && "refresh" in credential;

/**
 * Each provider's latest refresh. A call notes it before reading its credentials; meeting a 401,
 * it takes a refresh begun since (in flight or done: its credential was older), else begins one.
 * So the calls that meet a 401 together refresh once, and no call refreshes twice.
 */
const latestRefresh = new WeakMap<Provider, Promise<Value>>();

function refreshed(provider: Provider, seen: Promise<Value> | undefined): Promise<Value> {
  const latest = latestRefresh.get(provider);
  if (latest !== undefined && latest !== seen) return latest;
  const refresh = (async () => provider.refresh())();
  latestRefresh.set(provider, refresh);
  return refresh;
}

/** The promise's outcome, or a rejection with the signal's reason once it aborts: a refresh is shared, so not aborted for one call. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The credentials of a call that holds a provider: each one's value now, and, after a 401, each provider's refreshed. */
export async function renewable(
  held: (readonly [name: string, credential: Credential])[],
  wire: (name: string, value: Value) => [AuthScheme, string],
  refreshFailed: (name: string, cause: unknown) => Error,
): Promise<CallCredentials> {
  const seen = held.map(([, credential]) => (isProvider(credential) ? latestRefresh.get(credential) : undefined));
  const sent = await Promise.all(
    held.map(async ([name, credential]) =>
      wire(
        name,
        typeof credential === "function"
          ? await credential()
          : isProvider(credential)
            ? await credential.current()
            : credential,
      ),
    ),
  );
  const renew = async (signal: AbortSignal): Promise<CallCredentials> => ({
    sent: await Promise.all(
      held.map(async ([name, credential], index) => {
        if (!isProvider(credential)) return sent[index]!;
        const refresh = refreshed(credential, seen[index]).catch((cause: unknown) => {
          throw refreshFailed(name, cause);
        });
        return wire(name, await untilAborted(refresh, signal));
      }),
    ),
  });
  return { sent, renew };
}
