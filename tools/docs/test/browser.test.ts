import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixtureRoot } from "@contracts/fixtures";
import { type Api, listApis, loadSpec, operationsOf, securitySchemesOf } from "@contracts/spec";
import { launchChromium } from "@contracts/testkit/chromium";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocs, type DocsServer, serveDocs } from "../src/index.ts";

// The reference docs of every API of the fixture registry, built and opened in Chromium: the index
// links each page, and each page renders every operation's summary, method, path, statuses and
// security with no console error.
const apis: Api[] = await listApis(fixtureRoot);
let outDir: string;
let docs: DocsServer;
let browser: Browser;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "docs-test-"));
  [browser] = await Promise.all([launchChromium(), buildDocs({ root: fixtureRoot, outDir })]);
  docs = await serveDocs({ dir: outDir });
});

afterAll(async () => {
  await browser?.close();
  await docs?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** A page that records console errors and answers every request that would leave the machine with an empty 204. */
async function openPage(): Promise<{ page: Page; errors: string[]; outside: string[] }> {
  const page = await browser.newPage();
  // Each wait is for something to appear on the page, however long the machine takes; the test's own
  // limit stops a hang.
  page.setDefaultTimeout(0);
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
      const spec = await loadSpec(api);
      const { page, errors, outside } = await openPage();
      await page.goto(`${docs.url}/index.html`);
      await page.getByRole("link", { name: spec.info.title }).click();
      await page.waitForSelector("[data-section-id]");
      for (const operation of operationsOf(spec)) {
        // As a reader does: follow the operation's entry (method and path) listed under its tag.
        const entry = page
          .locator('a[href^="#/"]', { hasText: operation.path })
          .filter({ hasText: new RegExp(`^\\s*${operation.method}`, "i") });
        await entry.first().click();
        const heading = `${operation.path}\n${operation.object.summary!}`;
        await page.waitForFunction((text) => document.body.innerText.includes(text), heading);
        const text = await page.locator("body").innerText();
        expect(text).toContain(`${operation.method.toUpperCase()}\n${operation.path}`);
        const responses = page.getByText("Responses", { exact: true }).locator("xpath=..");
        const statuses = Object.keys(operation.object.responses ?? {});
        expect(statuses.length).toBeGreaterThan(0);
        for (const status of statuses) await responses.filter({ hasText: status }).waitFor();
        await page.getByText("View security details").first().click();
        for (const { name, scheme } of securitySchemesOf(spec, operation)) {
          expect(text, `security scheme ${name}`).toContain(name);
          const detail = scheme.type === "apiKey" ? scheme.name : scheme.type === "http" ? scheme.scheme : scheme.type;
          await page
            .locator("body")
            .filter({ hasText: new RegExp(detail, "i") })
            .waitFor();
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
