import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "@contracts/cli";
import { giantsRoot } from "@contracts/fixtures";
import { listApis, loadSpec, operationsOf, repoRoot, specFilesOf } from "@contracts/spec";
import { measureCommand, startUntilReady } from "./processes.ts";
import { describeSeconds, type Sample, summarize } from "./stats.ts";

export interface GiantFigures {
  id: string;
  operations: number;
  files: number;
  /** `npm run generate -- <id> --root <copy>` from nothing cached: what a team pays when it adds or edits the spec. */
  generate: Sample;
  /** openapi-typescript alone on the same spec. */
  openapiTs: Sample;
  /** `npm run mock -- <id>` until it says it serves, and its memory then. */
  mock: Sample;
  mockRss: Sample;
  /** One `prism mock` of the same spec until it listens, and its memory then. */
  prism: Sample;
  prismRss: Sample;
}

export interface GiantsFigures {
  specs: GiantFigures[];
  /** One `npm run mock` of every giant until it serves, and its memory. */
  allMocks: Sample;
  allMocksRss: Sample;
}

const codegenCli = path.join(repoRoot, "tools", "codegen", "src", "cli.ts");
const mockCli = path.join(repoRoot, "tools", "mock", "src", "cli.ts");
const openapiTs = path.join(repoRoot, "node_modules", ".bin", "openapi-typescript");
const prismReady = /Prism is listening/;
const mockReady = /Serving requests/;

/**
 * A copy of the giants registry laid out as a repository (generate writes its packages/clients and
 * reads client-core's manifest), without node_modules: loadSpec keeps no verdict there, so every
 * generation reads, lints and bundles the spec as a first one does.
 */
async function scratchRepository(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "bench-giants-"));
  await cp(giantsRoot, root, { recursive: true });
  await mkdir(path.join(root, "packages", "client-core"), { recursive: true });
  await cp(
    path.join(repoRoot, "packages", "client-core", "package.json"),
    path.join(root, "packages", "client-core", "package.json"),
  );
  return root;
}

/**
 * Each giant through generate and the mock, side by side with its anchor on the same spec
 * (openapi-typescript alone; one `prism mock`), interleaved run by run; then every giant's mock in one process.
 */
export async function measureGiants(runs: number): Promise<GiantsFigures> {
  const root = await scratchRepository();
  // From a folder of its own: in one holding a redocly.yaml the openapi-typescript CLI reads its API list.
  const otsDir = await mkdtemp(path.join(tmpdir(), "bench-giants-ots-"));
  try {
    const apis = await listApis(root);
    const samples = new Map(
      apis.map((api) => [
        api.id,
        { generate: [] as number[], ots: [] as number[], mock: [] as number[], mockRss: [] as number[] },
      ]),
    );
    const prism = new Map(apis.map((api) => [api.id, { ready: [] as number[], rss: [] as number[] }]));
    const all = { ready: [] as number[], rss: [] as number[] };
    for (let run = 0; run < runs; run += 1) {
      for (const api of apis) {
        console.log(`  run ${run + 1}/${runs}: ${api.id}`);
        const sample = samples.get(api.id)!;
        sample.generate.push(await measureCommand("node", [codegenCli, api.id, "--root", root], repoRoot));
        sample.ots.push(
          await measureCommand(openapiTs, [api.specPath, "-o", path.join(otsDir, `${api.id}.ts`)], otsDir),
        );
        const ours = await startUntilReady(
          "node",
          [mockCli, api.id, "--root", root, "--port", `${api.id}=${await freePort()}`],
          mockReady,
          repoRoot,
        );
        sample.mock.push(ours.readyMs);
        sample.mockRss.push(ours.rssMiB);
        await ours.stop();
        const plain = await startUntilReady(
          "prism",
          ["mock", "-p", String(await freePort()), api.specPath],
          prismReady,
          repoRoot,
        );
        prism.get(api.id)!.ready.push(plain.readyMs);
        prism.get(api.id)!.rss.push(plain.rssMiB);
        await plain.stop();
      }
      const ports = (await Promise.all(apis.map(async (api) => ["--port", `${api.id}=${await freePort()}`]))).flat();
      const every = await startUntilReady("node", [mockCli, "--root", root, ...ports], mockReady, repoRoot);
      all.ready.push(every.readyMs);
      all.rss.push(every.rssMiB);
      await every.stop();
    }
    const specs = await Promise.all(
      apis.map(async (api) => {
        const sample = samples.get(api.id)!;
        const document = await loadSpec(api);
        return {
          id: api.id,
          operations: operationsOf(document).length,
          files: specFilesOf(document)?.length ?? 1,
          generate: summarize(sample.generate),
          openapiTs: summarize(sample.ots),
          mock: summarize(sample.mock),
          mockRss: summarize(sample.mockRss),
          prism: summarize(prism.get(api.id)!.ready),
          prismRss: summarize(prism.get(api.id)!.rss),
        };
      }),
    );
    return { specs, allMocks: summarize(all.ready), allMocksRss: summarize(all.rss) };
  } finally {
    await rm(root, { recursive: true, force: true });
    await rm(otsDir, { recursive: true, force: true });
  }
}

const seconds = (sample: Sample) => `${(sample.median / 1000).toFixed(2)} s`;
const ratio = (of: Sample, to: Sample) => `${(of.median / to.median).toFixed(2)}x`;

/** The giants section of docs/benchmarks.md: per spec, each stage beside its anchor, and the aims. */
export function giantsSection(figures: GiantsFigures): string {
  const rows = figures.specs.map((spec) =>
    [
      `\`${spec.id}\``,
      spec.operations,
      spec.files,
      seconds(spec.generate),
      seconds(spec.openapiTs),
      `**${ratio(spec.generate, spec.openapiTs)}**`,
      `${((spec.generate.median - spec.openapiTs.median) / spec.operations).toFixed(1)} ms`,
      seconds(spec.mock),
      seconds(spec.prism),
      ratio(spec.mock, spec.prism),
      `${spec.mockRss.median.toFixed(0)} / ${spec.prismRss.median.toFixed(0)} MiB`,
    ].join(" | "),
  );
  const slowest = figures.specs.reduce((worst, spec) => (spec.prism.median > worst.prism.median ? spec : worst));
  const runs = figures.specs[0]?.generate.runs ?? 0;
  return [
    `Medians of ${runs} interleaved runs. generate: \`npm run generate -- <id> --root <copy>\` with nothing cached (no verdict, no stamp: lint, bundle, model, emitters, format), against \`openapi-typescript <spec> -o <file>\` alone; mock: \`npm run mock -- <id>\` until "Serving requests", against one \`prism mock <spec>\` until "Prism is listening", memory at that moment (mock / Prism).`,
    "",
    "| spec | operations | files | generate | openapi-typescript | generate / ots (aim ≤ 5x) | beyond ots per operation | mock ready | one prism | mock / prism | memory |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((row) => `| ${row} |`),
    "",
    `Every giant's mock in one process: ready in ${describeSeconds(figures.allMocks)}, ${figures.allMocksRss.median.toFixed(0)} MiB; the slowest single Prism (\`${slowest.id}\`) ${seconds(slowest.prism)}: **${ratio(figures.allMocks, slowest.prism)}** (aim ≤ 1.2x).`,
  ].join("\n");
}
