// Server-sent events (`text/event-stream`): a module that client.ts loads only for a call whose
// operation streams, so apps without streams never load it or the parser. It imports nothing of
// client-core at run time (client.ts passes the error): a bundler would put shared code in a chunk
// of its own, which every app then loads up front.
import { createParser } from "eventsource-parser";
import type { OperationDetails } from "./client.ts";

/** One event of a `text/event-stream` answer: its `data` (JSON parsed where the spec's schema is JSON), and its fields as sent. */
export interface ServerSentEvent<Data = unknown> {
  data: Data;
  /** The `event:` field, the event's name. */
  event?: string;
  /** The `id:` field. */
  id?: string;
  /** The `retry:` field sent with the event: the reconnection time the server asks for, in ms. */
  retry?: number;
}

/** client-core's StreamEventError, thrown (with the event as `event`) for an event whose data is not JSON where JSON is expected. */
type Malformed = new (message: string, options: { cause: unknown }) => Error;

/** A success body read as openapi-fetch reads it: `parseAs`, else JSON (an empty body undefined). */
async function bodyOf(response: Response, parseAs: OperationDetails["parseAs"]): Promise<unknown> {
  if (parseAs) return response[parseAs]();
  const text = await response.text();
  return text === "" ? undefined : JSON.parse(text);
}

/**
 * A success answer of an operation that may stream: an event stream becomes the result's `stream`
 * (true); any other media type (OpenAI's answers without `stream: true`) is read into `data` as
 * openapi-fetch reads it (false). Its arguments are positional, as client.ts passes them up front:
 * @param details The operation's: `stream` says whether each event's data is JSON, `parseAs` how
 *   its other media type is read.
 * @param operation As messages name it (`POST /chat/completions`).
 * @param signal The call's: its abort cancels the body, and the stream throws its reason.
 * @param finished Called once the stream ends, however it ends.
 */
export async function readAnswer(
  result: { data?: unknown; stream?: unknown; response: Response },
  details: OperationDetails,
  operation: string,
  signal: AbortSignal,
  malformed: Malformed,
  finished: () => void,
): Promise<boolean> {
  const { response } = result;
  if (!response.body) return false;
  if (!/^\s*text\/event-stream\s*(;|$)/i.test(response.headers.get("content-type") ?? "")) {
    result.data = await bodyOf(response, details.parseAs);
    return false;
  }
  result.data = undefined;
  result.stream = eventsOf(response.body, details.stream === "json", operation, signal, malformed, finished);
  return true;
}

/** What a StreamEventError says: the operation, the event (its name and id where it has them), why, and its data. */
function messageOf(operation: string, event: ServerSentEvent<string>, cause: unknown): string {
  const named = [event.event && `"${event.event}"`, event.id !== undefined && `id ${event.id}`].filter(Boolean);
  const why = cause instanceof Error ? cause.message : String(cause);
  return `An event${named.length > 0 ? ` (${named.join(", ")})` : ""} of ${operation}'s stream is not the JSON its schema describes: ${why}; data: ${event.data.slice(0, 200)}`;
}

/**
 * The events of `body`, parsed as the SSE standard says (eventsource-parser: multi-line data,
 * comments, CRLF, `event`/`id`/`retry`). Lazy: the body is read as the caller iterates; leaving the
 * loop early or aborting the signal cancels the body, which releases the connection.
 */
async function* eventsOf(
  body: ReadableStream<Uint8Array>,
  json: boolean,
  operation: string,
  signal: AbortSignal,
  malformed: Malformed,
  finished: () => void,
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const onAbort = () => reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener("abort", onAbort, { once: true });
  const ready: ServerSentEvent<string>[] = [];
  // A `retry:` line belongs to the event its block dispatches.
  let retry: number | undefined;
  const parser = createParser({
    onRetry: (milliseconds) => {
      retry = milliseconds;
    },
    onEvent: ({ data, event, id }) => {
      ready.push({
        data,
        ...(event !== undefined && { event }),
        ...(id !== undefined && { id }),
        ...(retry !== undefined && { retry }),
      });
      retry = undefined;
    },
  });
  try {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason;
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
      for (const event of ready.splice(0)) {
        if (!json) yield event;
        else {
          let data: unknown;
          try {
            data = JSON.parse(event.data);
          } catch (cause) {
            throw Object.assign(new malformed(messageOf(operation, event, cause), { cause }), { event });
          }
          yield { ...event, data };
        }
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    await reader.cancel().catch(() => undefined);
    finished();
  }
}
