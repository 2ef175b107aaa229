import type { OpenAPI3 } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { emitters } from "../src/emitters.ts";
import { apiModel } from "../src/model.ts";

const core = { version: "9.9.9", dependencies: { "openapi-fetch": "0.17.0" }, peerDependencies: { msw: "^3.0.5" } };

/** One GET whose security is `security`, with `schemes` declared. */
const documentWith = (schemes: object, security: object[]) =>
  ({
    openapi: "3.1.0",
    info: { title: "Things", version: "1.0.0" },
    servers: [{ url: "https://api.example.com" }],
    security,
    paths: {
      "/things": { get: { operationId: "listThings", responses: { "200": { description: "OK" } } } },
    },
    components: { securitySchemes: schemes },
  }) as unknown as OpenAPI3;

async function generated(document: OpenAPI3) {
  const api = { id: "things", specPath: "/repo/specs/things.yaml", root: "/repo" } as Parameters<typeof apiModel>[0];
  const model = apiModel(api, document);
  const filesOf = (name: string) => emitters.find((emitter) => emitter.name === name)!.files(model, { core });
  const [tests, readme] = await Promise.all([filesOf("tests"), filesOf("readme")]);
  const example = tests["test/refresh-example.ts"]?.split("\n").slice(2).join("\n");
  return { example, readme: readme["README.md"]! };
}

describe("the README's example of credentials that refresh", () => {
  it("gives the apiKey option a provider of keys, shown as it is compiled", async () => {
    const { example, readme } = await generated(
      documentWith({ key: { type: "apiKey", in: "header", name: "X-Key" } }, [{ key: [] }]),
    );
    expect(example).toContain("const keys: CredentialProvider = {");
    expect(example).toContain("createClient({ apiKey: keys })");
    expect(readme).toContain("## Credentials that refresh");
    expect(readme).toContain(example);
    expect(readme).toContain("| `CredentialRefreshError` |");
  });

  it("gives HTTP basic a provider of { username, password }, under the scheme's name as the spec writes it", async () => {
    const { example, readme } = await generated(
      documentWith({ "my basic": { type: "http", scheme: "basic" }, token: { type: "http", scheme: "bearer" } }, [
        { "my basic": [] },
        { token: [] },
      ]),
    );
    expect(example).toContain("const login: CredentialProvider<BasicCredentials> = {");
    expect(example).toContain('createClient({ credentials: { "my basic": login } })');
    expect(readme).toContain(example);
    expect(readme).toContain(
      "| `my basic` | `{ username, password }`, or a `CredentialProvider<BasicCredentials>` (see below) |",
    );
  });

  it("is left out for an API without credentials", async () => {
    const { example, readme } = await generated(documentWith({}, []));
    expect(example).toBeUndefined();
    expect(readme).not.toContain("CredentialRefreshError");
  });
});
