import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { corpusRoot, fixtureRoot } from "@contracts/fixtures";
import {
  type Api,
  httpMethods,
  listApis,
  loadSpec,
  type Operation,
  operationsOf,
  securitySchemesOf,
} from "@contracts/spec";
import { launchChromium } from "@contracts/testkit/chromium";
import type { OpenAPI3, PathItemObject } from "openapi-typescript";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocs, type DocsServer, serveDocs } from "../src/index.ts";

// The reference docs of every API of the fixture registry and of the public corpus, built and opened
// in one Chromium. Fixture registry: the index links each page, and each page renders every
// operation's summary, method, path, statuses and security. Corpus: each page lists every operation
// and webhook, and its entry leads to its method, path (or name) and security. No page logs a console error.
const apis: Api[] = await listApis(fixtureRoot);
const corpus: Api[] = await listApis(corpusRoot);
let outDir: string;
let corpusOutDir: string;
let docs: DocsServer;
let corpusDocs: DocsServer;
let browser: Browser;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "docs-test-"));
  corpusOutDir = await mkdtemp(path.join(tmpdir(), "docs-test-corpus-"));
  [browser] = await Promise.all([
    launchChromium(),
    buildDocs({ root: fixtureRoot, outDir }),
    buildDocs({ root: corpusRoot, outDir: corpusOutDir }),
  ]);
  [docs, corpusDocs] = await Promise.all([serveDocs({ dir: outDir }), serveDocs({ dir: corpusOutDir })]);
});

afterAll(async () => {
  await browser?.close();
  await docs?.stop();
  await corpusDocs?.stop();
  for (const dir of [outDir, corpusOutDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** A page that records console errors and answers every request that would leave the machine with an empty 204. */
async function openPage(server = docs): Promise<{ page: Page; errors: string[]; outside: string[] }> {
  const page = await browser.newPage();
  // Each wait is for something the page is bound to show, however long the machine takes; what it
  // may never show is checked once and fails at once. The test's own limit stops a hang.
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

/** How a reader finds an operation in the docs: by method and path (a webhook by its name) or by name in the side menu. */
interface OperationEntry {
  api: string;
  method: string;
  label: string;
  name: string;
  tagged: boolean;
}

/**
 * The entries of every operation the page lists, once all are shown. When the spec uses tags, the
 * side menu has a group per tag, and the tag's section lists its operations by method and label (and
 * a "Deprecated" badge for one): the first eight, and the rest once the reader opens "Show N more...",
 * as done here. Without tags, the side menu lists each operation by name (its summary, else its
 * operationId) and method. The menu and each list render whole, in one go.
 */
async function operationEntries(page: Page, tagged: boolean): Promise<Locator> {
  // The side menu; a group the reader opened holds a menu of its own, inside.
  const menu = page.locator('[data-component-name="Menu/Menu"]').first();
  await menu.waitFor();
  if (!tagged) return menu.locator('[data-component-name="Menu/MenuItem"]');
  const groups = await menu
    .locator(':scope > [data-component-name="Menu/MenuItem"].menu-item-type-group > a')
    .evaluateAll((links) => links.map((link) => link.getAttribute("href")));
  for (const sectionId of groups) {
    const list = page.locator(`[data-section-id=${JSON.stringify(sectionId)}] [data-testid="items-navigation-list"]`);
    await list.waitFor();
    const more = list.getByTestId("show-more-operations");
    if ((await more.count()) > 0) {
      await more.click();
      await more.waitFor({ state: "detached" });
    }
  }
  return page.locator('[data-testid="items-navigation-list"] a');
}

/**
 * Follows an operation's entry as a reader does and resolves with the text of the operation's
 * section, once it shows `label` (its path, or a webhook's name) under its method. An operation the
 * page does not list fails at once, naming the API, the operation and what the page lists instead.
 */
async function showOperation(page: Page, entry: OperationEntry): Promise<string> {
  const { api, method, label, name, tagged } = entry;
  const entries = await operationEntries(page, tagged);
  const link = entries.filter({
    hasText: tagged
      ? new RegExp(`^\\s*${method}\\s*${escapeRegExp(label)}\\s*(Deprecated)?\\s*$`, "i")
      : new RegExp(`^\\s*${escapeRegExp(name)}\\s*${method}\\s*$`, "i"),
  });
  if ((await link.count()) === 0) {
    const listed = (await entries.allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
    throw new Error(
      `${api}: the docs list no entry for ${method.toUpperCase()} ${label} (${name}); they list: ${listed.join(", ")}`,
    );
  }
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
function operationEntry(api: Api, operation: Operation, tagged: boolean): OperationEntry {
  const { summary, operationId } = operation.object;
  const name = summary ?? operationId ?? operation.path;
  return { api: api.id, method: operation.method, label: operation.path, name, tagged };
}

/** Every webhook (3.1) by name and method, as the docs list it. */
function webhooksOf(spec: OpenAPI3): { name: string; method: string }[] {
  const webhooks = (spec as { webhooks?: Record<string, PathItemObject> }).webhooks ?? {};
  return Object.entries(webhooks).flatMap(([name, item]) =>
    Object.keys(item)
      .filter((key) => (httpMethods as readonly string[]).includes(key))
      .map((method) => ({ name, method })),
  );
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
      const tagged = usesTags(spec);
      for (const operation of operationsOf(spec)) {
        const section = await showOperation(page, operationEntry(api, operation, tagged));
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

describe("reference docs of the public corpus in Chromium", () => {
  it.each(corpus.map((api) => [api.id, api] as const))(
    "%s: every operation and webhook is listed and leads to its method, path and security, with no console error",
    async (_id, api) => {
      const spec = await loadSpec(api);
      const { page, errors, outside } = await openPage(corpusDocs);
      // Besides Redocly's logo, the page shows the spec's own (`info.x-logo`), answered here with a 204.
      const logo = (spec.info as { "x-logo"?: { url: string } })["x-logo"]?.url;
      await page.goto(`${corpusDocs.url}/${api.id}.html`);
      const tagged = usesTags(spec);
      for (const operation of operationsOf(spec)) {
        const text = await showOperation(page, operationEntry(api, operation, tagged));
        const schemes = securitySchemesOf(spec, operation);
        if (schemes.length > 0) expect(text, `${operation.id}: its security`).toContain("Security\n");
        for (const { name } of schemes) expect(text, `${operation.id}: security scheme ${name}`).toContain(name);
      }
      for (const { name, method } of webhooksOf(spec))
        await showOperation(page, { api: api.id, method, label: name, name, tagged: true });
      expect(errors).toEqual([]);
      expect(
        outside.every((url) => url.startsWith("https://cdn.redoc.ly/") || url === logo),
        outside.join(", "),
      ).toBe(true);
      await page.close();
    },
  );
});
