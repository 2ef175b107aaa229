import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Api, listApis, loadSpec, operationsOf, resolveRef } from "@contracts/spec";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocs, type DocsServer, serveDocs } from "./index.ts";

// Playwright cannot download browsers here: the test uses Debian's chromium, which the set-up installs.
const chromiumPath = "/usr/bin/chromium";
// As the machines' notes say: without the background-networking flags Chromium keeps reaching out.
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The reference docs of every API of a registry (the project's by default), built and opened in Chromium:
 * the index links each page, and each page renders every operation's summary, method, path, statuses and
 * security with no console error. The docs tool's tests run it on fixture specs, the specs' tests on the
 * project's, so it re-runs when a spec changes.
 */
export async function describeReferenceDocs(root?: string): Promise<void> {
  const apis: Api[] = await listApis(root);
  let outDir: string;
  let docs: DocsServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(chromiumPath)) {
      throw new Error(
        `No Chromium at ${chromiumPath}: the browser test needs Debian's chromium. Install it with \`apt-get update && apt-get install -y chromium\` (the README's set-up and .ci/run do).`,
      );
    }
    outDir = await mkdtemp(path.join(tmpdir(), "docs-test-"));
    await buildDocs({ root, outDir });
    docs = await serveDocs({ dir: outDir });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });

  afterAll(async () => {
    await browser?.close();
    await docs?.stop();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  /** A page that records console errors and answers every request that would leave the machine with an empty 204. */
  async function openPage(): Promise<{ page: Page; errors: string[]; outside: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    page.on("pageerror", (error) => errors.push(error.message));
    // The page embeds Redoc (--inlineBundle); only Redocly's logo comes from its CDN. Nothing leaves the machine.
    await page.route(
      (url) => url.origin !== new URL(docs.url).origin,
      (route) => {
        outside.push(route.request().url());
        return route.fulfill({ status: 204 });
      },
    );
    return { page, errors, outside };
  }

  /** The security schemes an operation requires (its own `security`, else the document's), by name and scheme object. */
  function securityOf(
    document: Awaited<ReturnType<typeof loadSpec>>,
    security: Record<string, string[]>[] | undefined,
  ) {
    const names = [
      ...new Set((security ?? document.security ?? []).flatMap((requirement) => Object.keys(requirement))),
    ];
    return names.map((name) => ({ name, scheme: resolveRef(document, document.components!.securitySchemes![name]!) }));
  }

  describe("reference docs in Chromium", () => {
    it("the index links one page per API of the registry", async () => {
      const { page, errors } = await openPage();
      await page.goto(`${docs.url}/index.html`);
      const links = await page
        .locator("a")
        .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute("href")));
      expect(links).toEqual(apis.map((api) => `${api.id}.html`));
      expect(errors).toEqual([]);
      await page.close();
    });

    it.each(apis.map((api) => [api.id, api] as const))(
      "%s: every operation's summary, method, path, statuses and auth are rendered, with no console error",
      async (_id, api) => {
        const document = await loadSpec(api);
        const { page, errors, outside } = await openPage();
        await page.goto(`${docs.url}/index.html`);
        await page.getByRole("link", { name: document.info.title }).click();
        await page.waitForSelector("[data-section-id]");
        for (const operation of operationsOf(document)) {
          // As a reader does: follow the operation's entry (method and path) listed under its tag.
          const entry = page
            .locator('a[href^="#/"]', { hasText: operation.path })
            .filter({ hasText: new RegExp(`^\\s*${operation.method}`, "i") });
          await entry.first().click();
          const summary = operation.object.summary!;
          await expect
            .poll(() => page.locator("main, body").first().innerText(), { timeout: 10_000 })
            .toContain(`${operation.path}\n${summary}`);
          const text = await page.locator("body").innerText();
          expect(text).toContain(`${operation.method.toUpperCase()}\n${operation.path}`);
          const responses = page.getByText("Responses", { exact: true }).locator("xpath=..");
          const statuses = Object.keys(operation.object.responses ?? {});
          expect(statuses.length).toBeGreaterThan(0);
          for (const status of statuses) await expect.poll(() => responses.innerText()).toContain(status);
          await page.getByText("View security details").first().click();
          for (const { name, scheme } of securityOf(document, operation.object.security)) {
            expect(text, `security scheme ${name}`).toContain(name);
            const detail =
              scheme.type === "apiKey" ? scheme.name : scheme.type === "http" ? scheme.scheme : scheme.type;
            await expect
              .poll(() => page.locator("body").innerText(), { message: `${name} detail ${detail}` })
              .toMatch(new RegExp(detail, "i"));
          }
        }
        expect(errors).toEqual([]);
        expect(
          outside.every((url) => url.startsWith("https://cdn.redoc.ly/")),
          outside.join(", "),
        ).toBe(true);
        await page.close();
      },
    );
  });
}
