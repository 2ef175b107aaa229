import { lintRulesFile } from "@contracts/spec";
import type { ClientCoreManifest, Emitter } from "../emitter.ts";
import { doNotEditNote, generatedHeader } from "../header.ts";
import type { ApiModel } from "../model.ts";

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * `package.json`: an ESM package built to dist/, for Node 18+ and browsers. openapi-fetch is a
 * dependency, not a peer: the client cannot work without it and its types are the client's types,
 * so the package takes the version client-core is built on (exact: openapi-fetch gets no more releases,
 * see the README's "What the clients run on").
 */
export function emitPackageJson(api: ApiModel, core: ClientCoreManifest): string {
  return json({
    "//": doNotEditNote(api),
    name: api.packageName,
    version: api.version,
    description: `Typed client for ${api.title}, generated from its OpenAPI spec.`,
    license: "MIT",
    type: "module",
    sideEffects: false,
    engines: { node: ">=18" },
    // Only what the tarball ships: the workspace type-checks sources through tsconfig.base.json's paths.
    exports: {
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./msw": { types: "./dist/msw.d.ts", default: "./dist/msw.js" },
      "./package.json": "./package.json",
    },
    files: ["dist", "CHANGELOG.md"],
    scripts: {
      build: "tsc -p tsconfig.build.json",
      test: "vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json",
    },
    dependencies: { "@contracts/client-core": `^${core.version}`, "openapi-fetch": core.dependencies["openapi-fetch"] },
    // The `./msw` entry's, loaded only by it: the client itself runs without msw installed.
    peerDependencies: { msw: core.peerDependencies.msw },
    peerDependenciesMeta: { msw: { optional: true } },
    devDependencies: { "@contracts/testkit": "*" },
  });
}

export function emitTsconfig(): string {
  return json({ extends: "../../../tsconfig.base.json", include: ["src", "test"] });
}

export function emitTsconfigBuild(): string {
  return json({
    extends: "../../../tsconfig.base.json",
    compilerOptions: {
      noEmit: false,
      declaration: true,
      declarationMap: true,
      sourceMap: true,
      rootDir: "src",
      outDir: "dist",
      // A build compiles this package alone: its dependencies are read from their built types.
      paths: {},
      types: [],
    },
    include: ["src"],
  });
}

/** `vitest.config.ts`: the workspace's one vitest configuration (limits against hangs, test order). */
export function emitVitestConfig(api: ApiModel): string {
  return `${generatedHeader(api)}\nexport { default } from "../../../vitest.shared.ts";\n`;
}

/**
 * `turbo.json`: the package's tasks re-run when its spec changes (its root file or any file the
 * root's `$ref`s reach), and its tests when the lint rules do too (they load the spec through
 * them); registering another API (redocly.yaml) re-runs neither.
 */
export function emitTurboJson(api: ApiModel): string {
  const inputs = ["$TURBO_DEFAULT$", ...api.specFiles.map((file) => `$TURBO_ROOT$/${file}`)];
  return json({
    $schema: "../../../node_modules/turbo/schema.json",
    extends: ["//"],
    tasks: {
      build: { inputs },
      // The bundle test bundles the built package, dist/.
      test: { dependsOn: ["^build", "build"], inputs: [...inputs, `$TURBO_ROOT$/${lintRulesFile}`] },
    },
  });
}

/** The package's manifest and configuration files. */
export const packageEmitter: Emitter = {
  name: "package",
  files: (api, { core }) => ({
    "package.json": emitPackageJson(api, core),
    "tsconfig.json": emitTsconfig(),
    "tsconfig.build.json": emitTsconfigBuild(),
    "turbo.json": emitTurboJson(api),
    "vitest.config.ts": emitVitestConfig(api),
  }),
};
