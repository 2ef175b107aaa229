import { existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Api, listApis, loadSpec, repoRoot, selectApis } from "@contracts/spec";
import { execa } from "execa";
import sirv from "sirv";

/** Where `npm run docs` writes the pages (ignored by git). */
export function docsDir(root = repoRoot): string {
  return path.join(root, "docs", "reference");
}

/** The file name of an API's reference page inside the docs folder. */
export function pageFile(apiId: string): string {
  return `${apiId}.html`;
}

export interface DocsPage {
  api: string;
  title: string;
  version: string;
  /** Absolute path of the page. */
  file: string;
}

export interface DocsOptions {
  /** API ids; every API of the registry when empty. */
  apis?: string[];
  /** The repository whose registry lists the APIs. */
  root?: string;
  /** Output folder; `docs/reference` of the root by default. */
  outDir?: string;
}

/** The folder of this package, whose node_modules/.bin (or an ancestor's) holds `redocly`. */
const packageDir = fileURLToPath(new URL("..", import.meta.url));

/**
 * Builds the reference page of one API with `redocly build-docs --inlineBundle` (Redoc embedded,
 * so the page renders offline). The spec is linted first: an invalid spec throws the registry's
 * SpecError and the previous page stays, since the new one is written aside and renamed into place.
 */
export async function buildApiPage(api: Api, outDir = docsDir(api.root)): Promise<DocsPage> {
  const document = await loadSpec(api);
  const { title, version } = document.info;
  const file = path.join(outDir, pageFile(api.id));
  const building = path.join(outDir, `.${api.id}.building.html`);
  await mkdir(outDir, { recursive: true });
  await execa("redocly", ["build-docs", api.specPath, "--inlineBundle", "--title", title, "--output", building], {
    cwd: api.root,
    preferLocal: true,
    localDir: packageDir,
    env: { REDOCLY_TELEMETRY: "off" },
  });
  await rename(building, file);
  return { api: api.id, title, version, file };
}

/** Escapes text for HTML: five characters, not worth a dependency. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Writes `index.html` linking the page of every API of the registry that has one, in registry order. */
export async function writeIndex(pages: DocsPage[], root = repoRoot, outDir = docsDir(root)): Promise<string> {
  const known = new Map(pages.map((page) => [page.api, page]));
  const apis = (await listApis(root)).filter(
    (api) => known.has(api.id) || existsSync(path.join(outDir, pageFile(api.id))),
  );
  const items = apis.map((api) => {
    const page = known.get(api.id);
    const label = page ? `${escapeHtml(page.title)} <small>${escapeHtml(page.version)}</small>` : escapeHtml(api.id);
    return `    <li><a href="${pageFile(api.id)}">${label}</a> <code>${escapeHtml(api.id)}</code></li>`;
  });
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>API reference</title></head>
<body>
  <h1>API reference</h1>
  <p>One page per API of the registry (redocly.yaml), built from its spec by <code>npm run docs</code>.</p>
  <ul>
${items.join("\n")}
  </ul>
</body>
</html>
`;
  const file = path.join(outDir, "index.html");
  await writeFile(file, html);
  return file;
}

/** Builds the page of each API (all of the registry when none is named) and the index. */
export async function buildDocs(options: DocsOptions = {}): Promise<{ pages: DocsPage[]; index: string }> {
  const root = options.root ?? repoRoot;
  const outDir = options.outDir ?? docsDir(root);
  const apis = await selectApis(options.apis, root);
  const pages = await Promise.all(apis.map((api) => buildApiPage(api, outDir)));
  return { pages, index: await writeIndex(pages, root, outDir) };
}

export interface DocsServer {
  url: string;
  stop: () => Promise<void>;
}

/** Serves the docs folder over HTTP on loopback (or `host`); pages are re-read on each request, so rebuilds show. */
export async function serveDocs(options: { dir: string; port?: number; host?: string }): Promise<DocsServer> {
  const server = createServer(sirv(options.dir, { dev: true }));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error(`docs server: unexpected address ${String(address)}`);
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://${host}:${address.port}`, stop };
}
