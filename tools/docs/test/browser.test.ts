import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixtureRoot } from "@contracts/fixtures";
import { type Api, listApis, loadSpec, type Operation, operationsOf, securitySchemesOf } from "@contracts/spec";
import { launchChromium } from "@contracts/testkit/chromium";
import type { OpenAPI3 } from "openapi-typescript";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocs, type DocsServer, serveDocs } from "../src/index.ts";

// The reference docs of every API of the fixture registry, built and opened in Chromium: the index
// links each page, and each page renders every operation's summary (where it has one), method,
// path, statuses and security, with no console error.
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
async function openPage(server = docs): Promise<{ page: Page; errors: string[]; outside: string[] }> {
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
    (url) => url.origin !== new URL(server.url).origin,
    (route) => {
      outside.push(route.request().url());
      return route.fulfill({ status: 204 });
    },
  );
  return { page, errors, outside };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Follows an operation's entry as a reader does and resolves with the text of the operation's
 * section, once it shows `label` (its path, or a webhook's name) under its method. Redoc lists a
 * tagged operation under its tag as method and label (and a "Deprecated" badge for one); when
 * the spec uses no tags, the side menu lists each operation by name (its summary, else its
 * operationId) and method.
 */
async function showOperation(
  page: Page,
  entry: { method: string; label: string; name: string; tagged: boolean },
): Promise<string> {
  const { method, label, name, tagged } = entry;
  const link = tagged
    ? page.locator('a[href^="#/"]', {
        hasText: new RegExp(`^\\s*${method}\\s*${escapeRegExp(label)}\\s*(Deprecated)?\\s*$`, "i"),
      })
    : page.locator('[data-component-name="Menu/MenuItem"]', {
        hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*${method}\\s*$`, "i"),
      });
  const before = page.url();
  await link.first().click();
  // The entry leads to the section the address's fragment names; it renders once in view.
  await page.waitForURL((url) => url.href !== before);
  const sectionId = decodeURIComponent(new URL(page.url()).hash.slice(1));
  const shown = await page.waitForFunction(
    ([id, heading]) =>
      Array.from(document.querySelectorAll<HTMLElement>(`[data-section-id="${CSS.escape(id)}"]`))
        .map((section) => section.innerText)
        .find((text) => text.includes(heading)),
    [sectionId, `${method.toUpperCase()}\n${label}`] as const,
  );
  return (await shown.jsonValue())!;
}

/** Whether any operation has a tag: Redoc then lists operations under their tags, else in the side menu. */
const usesTags = (spec: OpenAPI3) => operationsOf(spec).some((operation) => (operation.object.tags ?? []).length > 0);

/** How the docs list an operation: by method and path, or by name in the side menu. */
function operationEntry(operation: Operation, tagged: boolean) {
  const { summary, operationId } = operation.object;
  return { method: operation.method, label: operation.path, name: summary ?? operationId ?? operation.path, tagged };
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
      const tagged = usesTags(spec);
      for (const operation of operationsOf(spec)) {
        const section = await showOperation(page, operationEntry(operation, tagged));
        const { summary } = operation.object;
        if (summary) expect(section).toContain(summary);
        const text = await page.locator("body").innerText();
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
