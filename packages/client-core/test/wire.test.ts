// Every media type and parameter style a spec can give an operation, as the request leaves the
// client and as the answer comes back: driven through a recording fetch.
import { describe, expect, it, vi } from "vitest";
import { type ApiDescription, createApiClient, type ResponseValidators } from "../src/index.ts";
import { aDocument, type DocumentsClient, documentId, documents, type StyledForm, styledValues } from "./documents.ts";
import { jsonResponse, recordingFetch } from "./things.ts";

const create = (answer?: (request: Request) => Response, options: { headers?: Record<string, string> } = {}) => {
  const recorded = recordingFetch(answer);
  return { ...recorded, client: createApiClient<DocumentsClient>(documents, { fetch: recorded.fetch, ...options }) };
};
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe("answers in the spec's media types", () => {
  it("gives a binary answer as a Blob, without the caller choosing parseAs, on the typed and raw path", async () => {
    const { client } = create(() => new Response(png, { headers: { "content-type": "image/png" } }));
    for (const result of [
      await client.getPreview(documentId),
      await client.GET("/documents/{id}/preview", documentId),
    ]) {
      expect(result.data).toBeInstanceOf(Blob);
      expect(new Uint8Array(await (result.data as Blob).arrayBuffer())).toEqual(png);
    }
  });

  it("gives a text answer as a string", async () => {
    const { client } = create(
      () => new Response("Minutes of the meeting", { headers: { "content-type": "text/plain" } }),
    );
    expect((await client.getText(documentId)).data).toBe("Minutes of the meeting");
  });

  it("reads a problem+json error as JSON and a text/html one as its text", async () => {
    const problem = { title: "Not found", status: 404 };
    const json = create(() => jsonResponse(404, problem, { "content-type": "application/problem+json" }));
    expect(await json.client.getDocument(documentId)).toMatchObject({ status: 404, error: problem });
    const html = create(() => new Response("<h1>Oops</h1>", { status: 500, headers: { "content-type": "text/html" } }));
    expect(await html.client.getText({ ...documentId, maxRetries: 0 })).toMatchObject({ error: "<h1>Oops</h1>" });
  });

  it("asks for JSON where JSON and XML are offered; a caller's Accept or a client header wins", async () => {
    const { client, requests } = create(() => jsonResponse(200, aDocument));
    await client.getDocument(documentId);
    await client.GET("/documents/{id}", documentId);
    await client.getDocument({ ...documentId, headers: { accept: "application/xml" } });
    expect(requests.map((request) => request.headers.get("accept"))).toEqual([
      "application/json, application/problem+json",
      "application/json, application/problem+json",
      "application/xml",
    ]);
    const xml = create(() => jsonResponse(200, aDocument), { headers: { accept: "application/xml" } });
    await xml.client.getDocument(documentId);
    expect(xml.requests[0]!.headers.get("accept")).toBe("application/xml");
  });

  it("sends no Accept where the spec offers one media type per response", async () => {
    const { client, requests } = create(() => jsonResponse(200, aDocument));
    await client.putDocument({ ...documentId, body: { title: "Minutes" } });
    expect(requests[0]!.headers.has("accept")).toBe(false);
  });
});

describe("request bodies in the spec's media types", () => {
  it("sends multipart/form-data: a Blob as a file, an array as repeated parts, an object as JSON", async () => {
    const { client, requests } = create(() => jsonResponse(201, aDocument));
    const file = new Blob(["%PDF-1.7"], { type: "application/pdf" });
    await client.uploadDocument({ body: { file, tags: ["a", "b"], meta: { pages: 3 }, draft: false } });
    const request = requests[0]!;
    expect(request.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    const form = await request.formData();
    const sent = form.get("file") as File;
    expect(sent).toBeInstanceOf(Blob);
    expect(sent.type).toBe("application/pdf");
    expect(await sent.text()).toBe("%PDF-1.7");
    expect(form.getAll("tags")).toEqual(["a", "b"]);
    expect(form.get("meta")).toBe('{"pages":3}');
    expect(form.get("draft")).toBe("false");
  });

  it("sends application/x-www-form-urlencoded with arrays repeated and an object as JSON", async () => {
    const { client, requests } = create(() => jsonResponse(200, []));
    await client.searchByForm({ body: { q: "board minutes", tags: ["a", "b"], page: 2, filter: { kind: "memo" } } });
    expect(requests[0]!.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(await requests[0]!.text()).toBe(
      "q=board%20minutes&tags=a&tags=b&page=2&filter=%7B%22kind%22%3A%22memo%22%7D",
    );
  });

  it("sends a binary body as given with the spec's Content-Type, and a range's type from the Blob", async () => {
    const { client, requests } = create(() => new Response(null, { status: 204 }));
    await client.putContent({ ...documentId, body: new Blob([png]) });
    await client.postImage({ body: new Blob([png], { type: "image/png" }) });
    expect(requests.map((request) => request.headers.get("content-type"))).toEqual([
      "application/octet-stream",
      "image/png",
    ]);
    for (const request of requests) expect(new Uint8Array(await request.arrayBuffer())).toEqual(png);
  });

  it("sends a text body as given, and another JSON type as JSON with its type", async () => {
    const { client, requests } = create(() => new Response(null, { status: 204 }));
    await client.putText({ ...documentId, body: "Minutes" });
    await client.patchDocument({ ...documentId, body: { title: "Minutes" } });
    expect(requests[0]!.headers.get("content-type")).toBe("text/plain");
    expect(await requests[0]!.text()).toBe("Minutes");
    expect(requests[1]!.headers.get("content-type")).toBe("application/merge-patch+json");
    expect(await requests[1]!.json()).toEqual({ title: "Minutes" });
  });
});

describe("form fields as their encoding says", () => {
  const fields: StyledForm = {
    ...styledValues,
    point: { x: 3, y: 4 },
    size: { w: 5, h: 6 },
    path: "a/b?c&d",
    meta: { pages: 3 },
    label: "Q3",
    note: "a,b\n1,2",
  };

  /** Each part of a multipart request, name and value; a file part's value as `<type>: <text>`. */
  async function partsOf(request: Request): Promise<[string, string][]> {
    const form = await request.formData();
    const parts: [string, FormDataEntryValue][] = [];
    form.forEach((value, name) => {
      parts.push([name, value]);
    });
    return Promise.all(
      parts.map(
        async ([name, value]): Promise<[string, string]> => [
          name,
          typeof value === "string" ? value : `${value.type}: ${await value.text()}`,
        ],
      ),
    );
  }

  it("sends each multipart field in its style, one part per pair, and a field of its own media type in a part of that type", async () => {
    const { client, requests } = create(() => new Response(null, { status: 204 }));
    const scan = new Blob(["PNG"], { type: "image/png" });
    await client.postForm({ body: { ...fields, scan } });
    expect(await partsOf(requests[0]!)).toEqual([
      ["tags", "a"],
      ["tags", "b"],
      ["ids", "1,2"],
      ["words", "red green"],
      ["levels", "high|low"],
      ["filter[kind]", "memo"],
      ["filter[year]", "2024"],
      ["from", "1"],
      ["to", "9"],
      ["point", "x,3,y,4"],
      ["size", "w 5 h 6"],
      ["path", "a/b?c&d"],
      ["meta", 'application/json: {"pages":3}'],
      ["label", 'application/json: "Q3"'],
      ["note", "text/csv: a,b\n1,2"],
      ["scan", "image/png: PNG"],
    ]);
  });

  it("sends each form-urlencoded field in its style, reserved characters kept where it allows them", async () => {
    const { client, requests } = create(() => new Response(null, { status: 204 }));
    await client.putForm({ body: fields });
    expect(await requests[0]!.text()).toBe(
      [
        "tags=a&tags=b",
        "ids=1,2",
        "words=red%20green",
        "levels=high|low",
        "filter[kind]=memo&filter[year]=2024",
        "from=1&to=9",
        "point=x,3,y,4",
        "size=w%205%20h%206",
        "path=a/b?c&d",
        "meta=%7B%22pages%22%3A3%7D",
        "label=%22Q3%22",
        "note=a%2Cb%0A1%2C2",
      ].join("&"),
    );
  });
});

describe("parameters in their styles", () => {
  it("writes each query parameter in its style and explode", async () => {
    const { client, requests } = create(() => jsonResponse(200, []));
    await client.search({
      params: {
        query: { q: "a b", ...styledValues, box: { w: 5, h: 6 } },
      },
    });
    expect(new URL(requests[0]!.url).search).toBe(
      "?q=a%20b&tags=a&tags=b&ids=1,2&words=red%20green&levels=high|low&filter[kind]=memo&filter[year]=2024&from=1&to=9&box=w|5|h|6",
    );
  });

  it("leaves out undefined and null values and empty arrays", async () => {
    const { client, requests } = create(() => jsonResponse(200, []));
    await client.search({ params: { query: { q: undefined, tags: [], ids: [] } } });
    expect(requests[0]!.url).toBe("https://documents.test/search");
  });

  it("writes label and matrix path parameters, on the typed and raw path", async () => {
    const { client, requests } = create(() => jsonResponse(200, []));
    const shelf = { params: { path: { shelf: "s1", position: ["3", "4"] } } };
    await client.getShelf(shelf);
    await client.GET("/shelves/{shelf}/{position}", shelf);
    for (const request of requests)
      expect(request.url).toBe("https://documents.test/shelves/.s1/;position=3;position=4");
  });

  it("sends a path the spec keys with a #fragment without it, on the typed and raw path", async () => {
    const { client, requests } = create(() => jsonResponse(200, []));
    await client.getCreatedEvents();
    await client.GET("/events#created");
    expect(requests.map((request) => request.url)).toEqual([
      "https://documents.test/events",
      "https://documents.test/events",
    ]);
  });
});

describe("cookie parameters", () => {
  it("go in the Cookie header, each in its style, beside a cookie key", async () => {
    const { fetch, requests } = recordingFetch(() => new Response(null, { status: 204 }));
    const api: ApiDescription = {
      ...documents,
      security: {
        schemes: { apiKey: { in: "cookie", name: "session", prefix: "", env: "DOCUMENTS_API_KEY" } },
        required: [["apiKey"]],
        apiKeyOption: true,
      },
    };
    const client = createApiClient<DocumentsClient>(api, { fetch, apiKey: "secret" });
    await client.getPreferences({ params: { cookie: { theme: "dark", languages: ["en", "fr"], tags: ["a", "b"] } } });
    expect(requests[0]!.headers.get("cookie")).toBe("theme=dark; languages=en; languages=fr; tags=a,b; session=secret");
  });

  it("give way to a Cookie header the client or the call sets", async () => {
    const { client, requests } = create(() => new Response(null, { status: 204 }), { headers: { cookie: "a=1" } });
    await client.getPreferences({ params: { cookie: { theme: "dark" } } });
    await client.getPreferences({ params: { cookie: { theme: "dark" } }, headers: { cookie: "b=2" } });
    expect(requests.map((request) => request.headers.get("cookie"))).toEqual(["a=1", "b=2"]);
  });
});

describe("an operation whose path is sent rewritten", () => {
  it("is retried, and its answers validated, by its spec path", async () => {
    const violationsOf = vi.fn<ResponseValidators["violationsOf"]>(() => []);
    let attempts = 0;
    const { fetch } = recordingFetch(() => (++attempts === 1 ? jsonResponse(503, {}) : jsonResponse(200, [])));
    const client = createApiClient<DocumentsClient>(
      { ...documents, validators: async () => ({ violationsOf }) },
      { fetch },
    );
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const result = client.GET("/events#created", { validateResponses: true });
      await vi.runAllTimersAsync();
      expect(await result).toMatchObject({ status: 200 });
    } finally {
      vi.useRealTimers();
    }
    expect(attempts).toBe(2);
    expect(violationsOf).toHaveBeenCalledWith("GET", "/events#created", 200, []);
  });
});
