import { corpusRoot, fixtureRoot } from "@contracts/fixtures";
import { listApis, loadSpec, SpecError } from "@contracts/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiModel } from "../src/model.ts";
import { generatedClient, generatedModule, removeScratchRepos, scratchRepo } from "./scratch.ts";

/** A fetch answering every request with 200 `{}`, recording what it was sent. */
function recording() {
  const sent: Request[] = [];
  const fetch = async (request: Request) => {
    sent.push(request);
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  };
  return { fetch, sent };
}

// Public specs nobody here wrote (tools/fixtures/corpus): each brings security, servers and
// webhooks our own specs do not have.
let root: string;
beforeAll(async () => {
  root = await scratchRepo(corpusRoot, ["security", "museum", "tictactoe"]);
});
afterAll(removeScratchRepos);

describe("credentials as each operation's security says", () => {
  const credentials = {
    apiKey_query: "in-query",
    apiKey_header: "in-header",
    apiKey_cookie: "in-cookie",
    basic: { username: "ada", password: "lovelace" },
    bearer: "bearer-token",
    oauth2_authorizationCode: async () => "fresh-token",
    openIdConnect: "oidc-token",
  };

  it.each([
    ["getAnythingApiKey", (request: Request) => new URL(request.url).searchParams.get("apiKey"), "in-query"],
    ["putAnythingApiKey", (request: Request) => request.headers.get("x-api-key"), "in-header"],
    ["postAnythingApiKey", (request: Request) => request.headers.get("cookie"), "api_key=in-cookie"],
    ["postAnythingBasic", (request: Request) => request.headers.get("authorization"), `Basic ${btoa("ada:lovelace")}`],
    ["postAnythingBearer", (request: Request) => request.headers.get("authorization"), "Bearer bearer-token"],
    ["getAnythingOauth2", (request: Request) => request.headers.get("authorization"), "Bearer fresh-token"],
    ["postAnythingOpenIdConnect", (request: Request) => request.headers.get("authorization"), "Bearer oidc-token"],
  ])("%s sends its own scheme's credential, and no other", async (method, read, expected) => {
    const { fetch, sent } = recording();
    const client = (await generatedClient(root, "security"))({ credentials, fetch });
    await client[method]!();
    const [request] = sent;
    expect(read(request!)).toBe(expected);
    const carried = [
      new URL(request!.url).search !== "",
      request!.headers.has("x-api-key"),
      request!.headers.has("cookie"),
      request!.headers.has("authorization"),
    ];
    expect(carried.filter(Boolean)).toHaveLength(1);
  });

  it("sends an operation without security, and an optional one, without credentials", async () => {
    const { fetch, sent } = recording();
    const client = (await generatedClient(root, "security"))({ fetch });
    await client.postAnythingNoAuth!();
    await client.getAnythingOptionalAuth!();
    expect(sent.map((request) => [new URL(request.url).search, request.headers.has("authorization")])).toEqual([
      ["", false],
      ["", false],
    ]);
  });

  it("rejects a call whose scheme it holds no credential for, naming the scheme's variable", async () => {
    const { fetch, sent } = recording();
    const client = (await generatedClient(root, "security"))({ credentials: { bearer: "t" }, fetch });
    await expect(client.postAnythingBasic!()).rejects.toThrow(
      /basic.*SECURITY_BASIC_USERNAME, SECURITY_BASIC_PASSWORD/,
    );
    expect(sent).toHaveLength(0);
  });

  it("takes HTTP basic from the scheme's environment variables", async () => {
    process.env.MUSEUM_MUSEUM_PLACEHOLDER_AUTH_USERNAME = "curator";
    process.env.MUSEUM_MUSEUM_PLACEHOLDER_AUTH_PASSWORD = "s3cret";
    try {
      const { fetch, sent } = recording();
      await (await generatedClient(root, "museum"))({ fetch }).getMuseumHours!();
      expect(sent[0]!.headers.get("authorization")).toBe(`Basic ${btoa("curator:s3cret")}`);
    } finally {
      delete process.env.MUSEUM_MUSEUM_PLACEHOLDER_AUTH_USERNAME;
      delete process.env.MUSEUM_MUSEUM_PLACEHOLDER_AUTH_PASSWORD;
    }
  });
});

describe("servers", () => {
  it("needs a baseUrl where the spec names no server", async () => {
    const createClient = await generatedClient(root, "tictactoe");
    expect(() => createClient({ credentials: null })).toThrow(/names no server: pass \{ baseUrl \}/);
    const { fetch, sent } = recording();
    await createClient({ baseUrl: "http://127.0.0.1:9/game", credentials: null, fetch }).getBoard!();
    expect(sent[0]!.url).toBe("http://127.0.0.1:9/game/board");
  });
});

describe("webhooks and callbacks", () => {
  it("checks a webhook payload against its schema, naming each violation", async () => {
    const { parseWebhook, WebhookValidationError } = await generatedModule(root, "museum");
    const event = {
      eventId: "3be6453c-03eb-4357-ae5a-984a0e574a54",
      name: "Pirate Coding Workshop",
      location: "Computer Room",
      eventDescription: "Captain Blackbeard shares his love of the C...language.",
      dates: ["2023-10-29"],
      price: 25,
    };
    await expect(parseWebhook("publishNewEvent", event)).resolves.toEqual(event);
    const wrong = parseWebhook("publishNewEvent", { ...event, price: "25" });
    await expect(wrong).rejects.toThrow(WebhookValidationError);
    await expect(wrong).rejects.toThrow("/price must be number");
  });

  it("checks a callback's payload, by its operation and callback name", async () => {
    const { parseWebhook } = await generatedModule(root, "tictactoe");
    await expect(
      parseWebhook("put-square.statusCallback", {
        winner: ".",
        board: [
          [".", ".", "."],
          [".", "X", "."],
          [".", ".", "O"],
        ],
      }),
    ).resolves.toBeDefined();
    await expect(parseWebhook("put-square.statusCallback", { winner: "Z" })).rejects.toThrow("/winner");
  });
});

describe("method names", () => {
  it("refuses two operations that would make one method, naming both and the fix", async () => {
    const [api] = await listApis(fixtureRoot);
    const document = await loadSpec(api!);
    const [path, pathItem] = Object.entries(document.paths!)[0]!;
    const [method, operation] = Object.entries(pathItem).find(
      ([key]) => key === "patch" || key === "put" || key === "post",
    )!;
    const twin = {
      ...document,
      paths: {
        ...document.paths,
        [`${path}/twin`]: { [method]: { ...operation, operationId: `${operation.operationId}!` } },
      },
    };
    expect(() => apiModel(api!, twin)).toThrow(SpecError);
    expect(() => apiModel(api!, twin)).toThrow(/both make the client method \w+: give them operationIds that differ/);
  });
});
