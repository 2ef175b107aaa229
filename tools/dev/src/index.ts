import path from "node:path";
import { generate } from "@contracts/codegen";
import {
  buildApiPage,
  buildDocs,
  type DocsPage,
  type DocsServer,
  docsDir,
  serveDocs,
  writeIndex,
} from "@contracts/docs";
import { type MockOptions, type Mocks, startMocks } from "@contracts/mock";
import { type Api, lintRulesFile, repoRelative, repoRoot, SpecError, selectApis } from "@contracts/spec";
import { watch } from "chokidar";
import { contractImpact } from "./impact.ts";

export const defaultDocsPort = 4000;
/** Editors write a file more than once per save; changes closer than this count as one. */
export const defaultDebounceMs = 150;

export interface DevOptions extends Pick<MockOptions, "apis" | "ports" | "host" | "dynamic" | "onRequest"> {
  /** The repository to work in (its redocly.yaml, specs, client packages). */
  root?: string;
  /** Port of the docs server; a free one when 0. */
  docsPort?: number;
  debounceMs?: number;
  /** Receives one line per event (a save handled, an error, a note). */
  log?: (line: string) => void;
}

export interface Dev {
  mocks: Mocks;
  docsUrl: string;
  /** Stops the watcher, the mocks and the docs server; safe to call more than once. */
  stop: () => Promise<void>;
}

const clock = () => new Date().toISOString().slice(11, 19);

/**
 * Serves the mocks and the docs, then follows every save of a spec: lint it, swap its mock in
 * place, regenerate its client and rebuild its docs page. A spec that does not pass leaves the
 * last good mock, client and page as they were; the next good save recovers.
 */
export async function startDev(options: DevOptions = {}): Promise<Dev> {
  const root = options.root ?? repoRoot;
  const log = options.log ?? console.log;
  const apis = await selectApis(options.apis, root);
  const ids = apis.map((api) => api.id);
  const outDir = docsDir(root);
  const stops: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= Promise.all(stops.splice(0).map((close) => close())).then(() => undefined));
  try {
    // Both at once; settled rather than raced, so mocks that start while the docs fail are stopped too.
    const [started, built] = await Promise.allSettled([
      startMocks({
        root,
        apis: ids,
        ports: options.ports,
        host: options.host,
        dynamic: options.dynamic,
        onRequest: options.onRequest,
      }),
      buildDocs({ root, apis: ids, outDir }),
    ]);
    if (started.status === "fulfilled") stops.push(started.value.stop);
    if (started.status === "rejected") throw started.reason;
    if (built.status === "rejected") throw built.reason;
    const mocks = started.value;
    const docs: DocsServer = await serveDocs({
      dir: outDir,
      port: options.docsPort ?? defaultDocsPort,
      host: options.host,
    });
    stops.push(docs.stop);

    const follow = followSaves(mocks, built.value.pages, root, outDir, log);
    // The registry and the lint rules it extends.
    const registryFiles = ["redocly.yaml", lintRulesFile].map((file) => path.join(root, file));
    const bySpec = new Map(apis.map((api) => [api.specPath, api]));
    const watcher = watch([...registryFiles, ...bySpec.keys()], { ignoreInitial: true });
    stops.push(async () => {
      await watcher.close();
      await follow.cancel();
    });
    const debounceMs = options.debounceMs ?? defaultDebounceMs;
    watcher.on("all", (event, file) => {
      const absolute = path.resolve(root, file);
      if (registryFiles.includes(absolute)) {
        // The API list is read once per process; the rules judge each spec afresh at its next save only.
        log(
          `${clock()} ${path.basename(absolute)} changed: the API list is read at start-up and the lint rules judge each spec at its next save; restart \`npm run dev\` to apply both to every API now.`,
        );
        return;
      }
      const api = bySpec.get(absolute);
      if (!api) return;
      if (event === "unlink")
        log(
          `${clock()} ${api.id}: ${repoRelative(api.specPath, root)} was removed; still serving its last good version.`,
        );
      else follow.schedule(api, debounceMs);
    });
    await new Promise<void>((resolve, reject) => watcher.once("ready", resolve).once("error", reject));
    return { mocks, docsUrl: docs.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs `task` for one API at a time: a request while it runs makes it run once more when it ends
 * (the files then read are the latest). A failure is logged as `<id>: <what> failed: ...`.
 */
function oneAtATime(what: string, task: (api: Api) => Promise<void>, log: (line: string) => void) {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let closed = false;
  function request(api: Api): void {
    if (closed) return;
    if (running.has(api.id)) {
      again.add(api.id);
      return;
    }
    const run = task(api)
      .catch((error: unknown) =>
        log(
          `${clock()} ${api.id}: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
      )
      .finally(() => {
        running.delete(api.id);
        if (again.delete(api.id)) request(api);
      });
    running.set(api.id, run);
  }
  return {
    request,
    /** Takes no more requests; resolves once the run under way has ended. */
    async close(): Promise<void> {
      closed = true;
      await Promise.all(running.values());
    },
  };
}

/**
 * Handles saves one API at a time: a burst is debounced, and a save during a rebuild runs once it
 * ends. After each applied save the contract impact follows in a lane of its own, so a save never
 * waits for the diff of the one before.
 */
function followSaves(mocks: Mocks, builtPages: DocsPage[], root: string, outDir: string, log: (line: string) => void) {
  // The index names every page by its title: it is rewritten from the latest page of each API.
  const pages = new Map(builtPages.map((page) => [page.api, page]));
  const timers = new Map<string, NodeJS.Timeout>();
  const impact = contractImpact(root);
  const impacts = oneAtATime(
    "the contract diff",
    async (api) => {
      const [first, ...more] = await impact.linesFor(api);
      if (first) log([`${clock()} ${first}`, ...more].join("\n"));
    },
    log,
  );

  async function rebuild(api: Api): Promise<void> {
    const started = performance.now();
    const spec = repoRelative(api.specPath, root);
    try {
      // Reload lints first and rejects with the located SpecError, leaving the mock as it was.
      await mocks.reload(api.id);
      const { changed, failures } = await generate({ apis: [api.id], root });
      if (failures[0]) throw failures[0].error;
      const page = await buildApiPage(api, outDir);
      pages.set(api.id, page);
      await writeIndex([...pages.values()], root, outDir);
      const client =
        changed.length === 0
          ? "client unchanged"
          : `client regenerated (${changed.length} file${changed.length === 1 ? "" : "s"})`;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log(
        `${clock()} ${api.id}: ${spec} saved: lint ok, mock reloaded at ${mocks.urls[api.id]}, ${client}, docs rebuilt (${seconds} s)`,
      );
      impacts.request(api);
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      log(
        `${clock()} ${api.id}: ${spec} not applied; still serving the last good mock, client and docs:\n${error.problems.map((problem) => `  ${problem}`).join("\n")}`,
      );
    }
  }
  const rebuilds = oneAtATime("the rebuild", rebuild, log);

  return {
    schedule(api: Api, debounceMs: number): void {
      clearTimeout(timers.get(api.id));
      timers.set(
        api.id,
        setTimeout(() => rebuilds.request(api), debounceMs),
      );
    },
    /** Stops following saves; resolves once the work under way has ended. */
    async cancel(): Promise<void> {
      for (const timer of timers.values()) clearTimeout(timer);
      await rebuilds.close();
      await impact.stop();
      await impacts.close();
    },
  };
}
