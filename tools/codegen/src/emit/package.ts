import type { ApiModel } from "../model.ts";
import { doNotEditNote, generatedHeader } from "./header.ts";

/** The export condition tsconfig.base.json resolves workspace packages with. */
const sourceCondition = "@contracts/source";

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** `package.json`: an ESM package built to dist/, for Node 18+ and browsers. */
export function emitPackageJson(api: ApiModel, clientCoreVersion: string): string {
  return json({
    "//": doNotEditNote(api),
    name: api.packageName,
    version: api.version,
    description: `Typed client for ${api.title}, generated from its OpenAPI spec.`,
    license: "MIT",
    type: "module",
    sideEffects: false,
    engines: { node: ">=18" },
    exports: {
      // The workspace's own condition (tsconfig.base.json): type-checking reads sources, no build first.
      ".": { [sourceCondition]: "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./package.json": "./package.json",
    },
    files: ["dist", "CHANGELOG.md"],
    scripts: {
      build: "tsc -p tsconfig.build.json",
      test: "vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json",
    },
    dependencies: { "@contracts/client-core": `^${clientCoreVersion}` },
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
      customConditions: [],
      types: [],
    },
    include: ["src"],
  });
}

/** `vitest.config.ts`: the workspace's one vitest configuration (limits against hangs, test order). */
export function emitVitestConfig(api: ApiModel): string {
  return `${generatedHeader(api)}\nexport { default } from "../../../vitest.shared.ts";\n`;
}

/** `turbo.json`: the package's tasks re-run when its spec changes, and only then. */
export function emitTurboJson(api: ApiModel): string {
  const inputs = ["$TURBO_DEFAULT$", `$TURBO_ROOT$/${api.specFile}`];
  return json({
    $schema: "../../../node_modules/turbo/schema.json",
    extends: ["//"],
    tasks: {
      build: { inputs },
      // The bundle test bundles the built package, dist/.
      test: { dependsOn: ["^build", "build"], inputs },
    },
  });
}
