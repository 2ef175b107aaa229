import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fittingRequestBody, testCredentials } from "@contracts/cases";
import { defaultHost, listen, serverGroup } from "@contracts/cli";
import {
  apiById,
  credentialsOptionOf,
  defaultServerUrl,
  exampleCall,
  isJson,
  loadSpec,
  methodNameOf,
  type Operation,
  operationsOf,
  requestBodyOf,
  responsesOf,
  specValidator,
} from "@contracts/spec";
import { build } from "esbuild";
import type { OpenAPI3 } from "openapi-typescript";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.ts";
import { answeringOperation } from "./contract.ts";

/** A page's answer to one call of the client, as the test reads it. */
interface PageAnswer {
  status: number;
  data: unknown;
  error: unknown;
}

/** The key every credential of the page's client is made from. */
const browserTestKey = "browser-test-key";

/**
 * The client's options in the page: the credentials it takes (one `apiKey`, `credentials` per
 * scheme, or none), and for a spec that names no server the page's own origin, which the handlers
 * (made for any origin then) answer.
 */
function clientOptions(document: OpenAPI3): string {
  const { option } = credentialsOptionOf(document);
  const credentials =
    option === "apiKey"
      ? `apiKey: ${JSON.stringify(browserTestKey)}, `
      : option === "credentials"
        ? `credentials: ${JSON.stringify(testCredentials(document, browserTestKey))}, `
        : "";
  const baseUrl = defaultServerUrl(document) === undefined ? "baseUrl: window.location.origin, " : "";
  return `{ ${credentials}${baseUrl}maxRetries: 0 }`;
}

/**
 * The page: the client and its MSW handlers bundled as an app bundles them, the handlers started
 * in msw's service worker; `window.callApi(init)` calls the operation and resolves with the answer.
 */
async function pageScript(packageDir: string, method: string, options: string): Promise<string> {
  const entry = `import { setupWorker } from "msw/browser";
import { createClient } from "./src/index.ts";
import { handlers } from "./src/msw.ts";

const started = setupWorker(...handlers).start({ quiet: true, onUnhandledFrame: "error" });
// JSON text both ways: Playwright's own serialization drops a "__proto__" key, which a spec's example may hold.
window.callApi = async (init) => {
  await started;
  const { status, data, error } = await createClient(${options}).${method}(JSON.parse(init));
  return JSON.stringify({ status, data, error });
};
`;
  const result = await build({
    stdin: { contents: entry, resolveDir: packageDir, loader: "ts", sourcefile: "page.ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** Serves the page, its script and msw's service worker from this process on a free loopback port. */
async function servePage(script: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const worker = await readFile(createRequire(import.meta.url).resolve("msw/mockServiceWorker.js"), "utf8");
  const files: Record<string, [string, string]> = {
    "/": [
      "text/html",
      `<!doctype html><meta charset="utf-8"><title>mocks</title><script type="module" src="/app.js"></script>`,
    ],
    "/app.js": ["text/javascript", script],
    "/mockServiceWorker.js": ["text/javascript", worker],
  };
  const group = serverGroup();
  const server = group.add(
    createServer((request, response) => {
      const file = files[new URL(request.url ?? "/", "http://page").pathname];
      response.writeHead(file ? 200 : 404, { "content-type": file?.[0] ?? "text/plain" });
      response.end(file?.[1] ?? "not found");
    }),
  );
  return { url: await listen(server, 0, defaultHost), stop: group.stop };
}

/** The example body with its first property given a value of another JSON type: a body the spec refuses, naming that field. */
function wrongBody(body: Record<string, unknown>): { body: Record<string, unknown>; field: string } {
  const [field, value] = Object.entries(body)[0]!;
  return { body: { ...body, [field]: typeof value === "string" ? 12_345 : "not-the-documented-type" }, field };
}

/**
 * The operation the browser test calls, with the answer it expects (the mocks answer a valid request
 * with the lowest documented 2xx's first example): one with such an example, taking a JSON body
 * first; or why there is none. Of operations keyed apart by a `#fragment` alone (Box's
 * `/files/{file_id}#get_shared_link` beside `/files/{file_id}`), one request to the handlers, only
 * the one they answer (`answeringOperation`) is a call to compare with.
 */
export function browserCallOf(
  document: OpenAPI3,
): { operation: Operation; success: ReturnType<typeof responsesOf>[number] } | string {
  const successOf = (candidate: Operation) =>
    responsesOf(document, candidate)
      .filter((response) => /^2\d\d$/.test(response.status))
      .sort((a, b) => a.status.localeCompare(b.status))[0];
  const operations = operationsOf(document);
  const answered = operations.filter(
    (candidate) => answeringOperation(operations, candidate) === candidate && successOf(candidate)?.firstExample,
  );
  const operation =
    answered.find((candidate) => requestBodyOf(document, candidate)?.firstExample !== undefined) ?? answered[0];
  if (operation) return { operation, success: successOf(operation)! };
  return operations.length === 0
    ? "documents no operation (a spec of webhooks alone), so nothing for the handlers to answer"
    : "documents no 2xx example of an operation a request reaches, so no answer to compare the handlers' with";
}

/**
 * The client package's MSW handlers in Chromium, through msw's service worker: a page that imports
 * the client and its handlers (bundled with esbuild) calls an operation with a documented 2xx
 * example (one that takes a JSON body first) and sees that example; a wrong body sees the
 * documented error naming the field. What a spec gives nothing to check with is skipped, saying why.
 */
export async function describeBrowserMocks(packageDir: string, apiId: string): Promise<void> {
  const document = await loadSpec(await apiById(apiId));
  const chosen = browserCallOf(document);
  if (typeof chosen === "string") {
    describe(`${apiId}/msw in Chromium`, () => {
      it.skip(`skipped: ${apiId} ${chosen}`);
    });
    return;
  }
  const { operation, success } = chosen;
  const example = exampleCall(document, operation);
  const params = { path: example.pathParameters, query: example.query, header: example.header };
  // A JSON example that breaks its own schema as a request (DigitalOcean's apps_create sends the
  // read-only `spec.vpc`) is the spec's defect: a body that fits is sent instead, as the contract tests do.
  const body =
    example.body !== undefined && isJson(example.bodyMediaType)
      ? fittingRequestBody(
          document,
          operation,
          example.bodyMediaType!,
          example.body,
          specValidator(document, "request"),
        ).value
      : example.body;
  const objectBody = typeof body === "object" && body !== null && !Array.isArray(body);
  // Why a wrong body cannot be sent, if it cannot: a body with a first field to give the wrong type is needed.
  const noWrongBody =
    body === undefined
      ? "takes no request body"
      : !objectBody
        ? "takes no JSON object body"
        : Object.keys(body as object).length === 0
          ? "has an example body without a field to give the wrong type"
          : undefined;
  const method = methodNameOf({
    operationId: operation.object.operationId,
    method: operation.method,
    path: operation.path,
  });
  const { name } = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")) as { name: string };
  let browser: Browser;
  let page: Page;
  let site: { url: string; stop: () => Promise<void> };

  beforeAll(async () => {
    [browser, site] = await Promise.all([
      launchChromium(),
      pageScript(packageDir, method, clientOptions(document)).then(servePage),
    ]);
    page = await browser.newPage();
    // Each wait is for the page's own answer, however long the machine takes; the test's limit stops a hang.
    page.setDefaultTimeout(0);
    await page.goto(site.url);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  const call = async (init: object): Promise<PageAnswer> =>
    JSON.parse(
      await page.evaluate(
        (given) => (window as unknown as { callApi: (init: string) => Promise<string> }).callApi(given),
        JSON.stringify(init),
      ),
    );

  describe(`${name}/msw in Chromium (msw/browser, its service worker)`, () => {
    it(`${method} answers the spec's ${success.status} example`, async () => {
      const answer = await call({ params, body });
      expect(answer.status).toBe(Number(success.status));
      expect(answer.data).toEqual(success.firstExample?.value);
    });

    it.skipIf(noWrongBody !== undefined)(
      `${method} refuses a wrong body with the documented error naming the field${noWrongBody ? ` (skipped: ${method} ${noWrongBody})` : ""}`,
      async () => {
        const wrong = wrongBody(body as Record<string, unknown>);
        const answer = await call({ params, body: wrong.body });
        expect([400, 422]).toContain(answer.status);
        expect(JSON.stringify(answer.error)).toContain(`property ${wrong.field} `);
      },
    );
  });
}
