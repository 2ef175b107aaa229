// The body types of every media type, and readOnly/writeOnly: compiled by `npm run typecheck`, never run.
import { expectTypeOf } from "vitest";
import { createApiClient, type ErrorBodyOf, type RequestBodyOf, type SuccessBodyOf } from "../src/index.ts";
import { type DocumentPaths, type DocumentsClient, documentId, documents, type Problem } from "./documents.ts";

type Operation<
  Path extends keyof DocumentPaths,
  Method extends keyof DocumentPaths[Path],
> = DocumentPaths[Path][Method];
/** A document as a response holds it: `id` without its readOnly marker, no writeOnly `secret`, `deletedAt: null` kept. */
type ReadDocument = { id: string; title: string; deletedAt: null };

const client = createApiClient<DocumentsClient>(documents);

// JSON beside XML: the JSON; problem+json beside problem+xml: the problem+json; writeOnly left out.
{
  expectTypeOf<SuccessBodyOf<Operation<"/documents/{id}", "get">>>().toEqualTypeOf<ReadDocument>();
  expectTypeOf<ErrorBodyOf<Operation<"/documents/{id}", "get">>>().toEqualTypeOf<Problem>();
  const result = await client.getDocument(documentId);
  if (result.status === 200) expectTypeOf(result.data).toEqualTypeOf<ReadDocument>();
  if (result.status === 404) expectTypeOf(result.error).toEqualTypeOf<Problem>();
  if (result.status === 200) {
    // @ts-expect-error a writeOnly property is not in a response
    result.data.secret;
  }
}

// readOnly left out of a request body, writeOnly taken: the exported type is what the method takes.
{
  const body: RequestBodyOf<Operation<"/documents/{id}", "put">> = { title: "Minutes", secret: "s" };
  await client.putDocument({ ...documentId, body });
  // @ts-expect-error a readOnly property in a request body
  await client.putDocument({ ...documentId, body: { id: "d1", title: "Minutes" } });
  // @ts-expect-error a readOnly property in a request body
  const withId: RequestBodyOf<Operation<"/documents/{id}", "put">> = { id: "d1", title: "Minutes" };
  void withId;
}

// Another JSON type is JSON.
{
  const patch: RequestBodyOf<Operation<"/documents/{id}", "patch">> = { title: "Minutes" };
  await client.patchDocument({ ...documentId, body: patch });
  // @ts-expect-error a JSON body of the wrong shape
  await client.patchDocument({ ...documentId, body: { title: 1 } });
}

// Binary is a Blob, text a string, both ways; a text error body is a string.
{
  expectTypeOf<SuccessBodyOf<Operation<"/documents/{id}/preview", "get">>>().toEqualTypeOf<Blob>();
  const preview = await client.getPreview(documentId);
  if (preview.status === 200) expectTypeOf(preview.data).toEqualTypeOf<Blob>();
  expectTypeOf<SuccessBodyOf<Operation<"/documents/{id}/text", "get">>>().toEqualTypeOf<string>();
  const text = await client.getText(documentId);
  if (text.status === 500) expectTypeOf(text.error).toEqualTypeOf<string>();
  expectTypeOf<RequestBodyOf<Operation<"/documents/{id}/text", "put">>>().toEqualTypeOf<string>();
  expectTypeOf<RequestBodyOf<Operation<"/documents/{id}/content", "put">>>().toEqualTypeOf<Blob>();
  await client.putContent({ ...documentId, body: new Blob(["%PDF"]) });
  // @ts-expect-error a binary body given as an object
  await client.putContent({ ...documentId, body: { file: "x" } });
}

// A form body is its schema, files as Blobs.
{
  await client.uploadDocument({ body: { file: new Blob(["%PDF"]), tags: ["a", "b"] } });
  // @ts-expect-error a file given as a string
  await client.uploadDocument({ body: { file: "%PDF" } });
  const form: RequestBodyOf<Operation<"/search", "post">> = { q: "minutes", tags: ["a", "b"], page: 2 };
  await client.searchByForm({ body: form });
  // @ts-expect-error a form field of the wrong type
  await client.searchByForm({ body: { q: "minutes", page: "2" } });
}
