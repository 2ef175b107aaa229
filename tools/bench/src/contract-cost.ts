import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { failedSpecs, formatResults, runStages } from "@contracts/corpus";
import { corpusRoot } from "@contracts/fixtures";
import { clientPackageDir, listApis, loadSpec, operationsOf } from "@contracts/spec";
import { parse, stringify } from "yaml";
import { measureCommand } from "./processes.ts";
import { type Sample, summarize } from "./stats.ts";

export interface ContractCost {
  /** The API measured, and its operations. */
  api: string;
  operations: number;
  /** Its package's contract tests as the test command runs them: `vitest run test/contract.test.ts`, start to exit. */
  time: Sample;
}

export interface ContractCostFigures {
  /** Each corpus API's generated contract tests. */
  corpus: ContractCost[];
  /** One API of N operations, the museum's eight repeated under distinct paths: the same, per size. */
  growth: ContractCost[];
}

/** Generates, builds and type-checks a registry in a scratch workspace (the corpus harness), kept for the runs. */
async function generatedWorkspace(registry: string): Promise<string> {
  const { specs, workspace } = await runStages({ registry, keep: true });
  if (failedSpecs(specs).length > 0) {
    await rm(workspace!, { recursive: true, force: true });
    throw new Error(`The registry ${registry} does not pass every stage:\n${formatResults(specs)}`);
  }
  return workspace!;
}

/** `runs` timings of one API's contract tests, run in its package as the test command runs them. */
async function timeContractTests(workspace: string, api: string, runs: number): Promise<ContractCost> {
  const directory = clientPackageDir({ id: api, root: workspace });
  const operations = operationsOf(await loadSpec((await listApis(workspace)).find(({ id }) => id === api)!)).length;
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1)
    times.push(await measureCommand("vitest", ["run", "test/contract.test.ts"], directory));
  return { api, operations, time: summarize(times) };
}

/** A registry of one API: the museum's operations, cycled to `count` under distinct paths and operationIds. */
async function museumOf(count: number): Promise<string> {
  const registry = await mkdtemp(path.join(tmpdir(), "bench-contract-"));
  await cp(path.join(corpusRoot, "museum"), path.join(registry, "museum"), { recursive: true });
  const corpus = parse(await readFile(path.join(corpusRoot, "redocly.yaml"), "utf8")) as { apis: object };
  corpus.apis = { museum: { root: "museum/openapi.yaml" } };
  await writeFile(path.join(registry, "redocly.yaml"), stringify(corpus));
  const file = path.join(registry, "museum", "openapi.yaml");
  const spec = parse(await readFile(file, "utf8")) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([key]) => key !== "parameters")
      .map(([method, operation]) => ({ template, method, operation: operation as { operationId: string } })),
  );
  const paths: Record<string, Record<string, unknown>> = {};
  for (let index = 0; index < count; index += 1) {
    const { template, method, operation } = operations[index % operations.length]!;
    const copy = `/copy-${index}${template}`;
    paths[copy] = {
      ...(spec.paths[template]!.parameters !== undefined && { parameters: spec.paths[template]!.parameters }),
      [method]: { ...operation, operationId: `${operation.operationId}${index}` },
    };
  }
  spec.paths = paths;
  await writeFile(file, stringify(spec));
  return registry;
}

/**
 * The contract tests' cost as the test command pays it, per operation: every corpus API's generated
 * contract tests, then one API grown from 1 to 100 operations (the museum's, repeated), each run
 * `runs` times in its package as turbo runs them (vitest's start included).
 */
export async function measureContractCost(runs: number, sizes = [1, 10, 100]): Promise<ContractCostFigures> {
  const corpusWorkspace = await generatedWorkspace(corpusRoot);
  const corpus: ContractCost[] = [];
  try {
    for (const { id } of await listApis(corpusWorkspace))
      corpus.push(await timeContractTests(corpusWorkspace, id, runs));
  } finally {
    await rm(corpusWorkspace, { recursive: true, force: true });
  }
  const growth: ContractCost[] = [];
  for (const size of sizes) {
    const registry = await museumOf(size);
    const workspace = await generatedWorkspace(registry).finally(() => rm(registry, { recursive: true, force: true }));
    try {
      growth.push(await timeContractTests(workspace, "museum", runs));
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  }
  return { corpus, growth };
}
