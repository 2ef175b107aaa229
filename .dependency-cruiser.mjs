// The layering the README's "Layout" draws, held on every import by dependency-cruiser: `npm run
// layering`, one check of `npm test`. A violation names the importing file, the imported one and the rule.

import { globSync, readFileSync } from "node:fs";
import path from "node:path";

/** The tools' packages by layer, lowest first: a tool imports tools of its own layer or below. */
const layers = [
  ["spec", "cli", "fixtures"], // the ground
  ["prism", "cases"], // on the spec layer
  ["codegen", "mock", "verify", "docs", "diff"], // the tools
  ["dev", "release", "bench", "corpus", "test-all", "typecheck", "cache-server"], // the CLIs that combine them
];
const either = (names) => `(${names.join("|")})`;
const ground = layers[0];

/** What client-core, the browser runtime, may import besides its own files: its dependencies, none of them Node's. */
const browserDependencies = [
  "openapi-fetch",
  "openapi-typescript-helpers",
  "statuses",
  "msw",
  "@web3-storage/parse-link-header",
  "eventsource-parser",
];

/** Every workspace package: its folder, its name and the workspace packages its manifest lists. */
const workspace = JSON.parse(readFileSync("package.json", "utf8")).workspaces.flatMap((pattern) =>
  globSync(`${pattern}/package.json`).map((manifest) => {
    const { name, dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(manifest, "utf8"));
    return { folder: path.dirname(manifest), name, dependencies, devDependencies };
  }),
);
const folders = (names) => either(workspace.filter((other) => names(other.name)).map((other) => other.folder));

/**
 * A package imports another workspace package only if its manifest lists it: its sources from its
 * `dependencies`, anything else (tests, configs) from either list. turbo's hashes and codegen's stamp
 * follow the manifests (see the README's "Tests and caching"), so an import the manifest leaves out
 * would be an input they miss.
 */
const declaredImports = workspace.flatMap(({ folder, name, dependencies, devDependencies }) => {
  const undeclared = (lists) => folders((other) => other !== name && !lists.some((list) => other in list));
  const rule = (from, lists) => ({
    name: "imports-what-its-manifest-lists",
    comment: `${name} imports no workspace package its package.json does not list (its sources: in dependencies)`,
    severity: "error",
    from,
    to: { path: `^${undeclared(lists)}/` },
  });
  return [
    rule({ path: `^${folder}/src/` }, [dependencies]),
    rule({ path: `^${folder}/`, pathNot: `^${folder}/src/` }, [dependencies, devDependencies]),
  ];
});

export default {
  forbidden: [
    ...declaredImports,
    {
      name: "client-core-is-browser-only",
      comment:
        "client-core runs in browsers: it imports its own files and its browser-safe dependencies, no tool and no Node module",
      severity: "error",
      from: { path: "^packages/client-core/src/" },
      to: { pathNot: `^packages/client-core/src/|(^|/)node_modules/${either(browserDependencies)}/` },
    },
    {
      name: "generated-client-imports-client-core-only",
      comment: "a generated client imports its own files, client-core and openapi-fetch: nothing else ships with it",
      severity: "error",
      from: { path: "^packages/clients/([^/]+)/src/" },
      to: { pathNot: "^packages/clients/$1/src/|^packages/client-core/|(^|/)node_modules/openapi-fetch/" },
    },
    {
      name: "ground-imports-no-tool",
      comment: "the spec layer, the CLI kit and the fixtures are the ground: they import no other tool",
      severity: "error",
      from: { path: `^tools/${either(ground)}/src/` },
      to: { path: "^tools/[^/]+/", pathNot: "^tools/$1/" },
    },
    ...layers.slice(0, -1).map((layer, index) => {
      const above = layers.slice(index + 1).flat();
      return {
        name: "tool-imports-no-tool-above",
        comment: `${layer.join(", ")} import no tool of a layer above theirs (${above.join(", ")})`,
        severity: "error",
        from: { path: `^tools/${either(layer)}/` },
        to: { path: `^tools/${either(above)}/` },
      };
    }),
    {
      name: "testkit-only-in-tests",
      comment: "the test kit sits on top: tests and the bench use it, no tool at run time",
      severity: "error",
      from: { path: "^(tools|packages)/", pathNot: "(^|/)test/|^tools/(testkit|bench)/" },
      to: { path: "^tools/testkit/" },
    },
    {
      name: "tool-in-a-layer",
      comment: "every tool has its place in the layers of .dependency-cruiser.mjs (and the README's Layout)",
      severity: "error",
      from: { path: "^tools/[^/]+/", pathNot: `^tools/${either([...layers.flat(), "testkit"])}/` },
      to: {},
    },
    {
      name: "no-circular",
      comment: "no import cycle, type-only imports aside",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only", "type-import"] } },
    },
  ],
  options: {
    doNotFollow: { path: "(^|/)node_modules/" },
    exclude: {
      path: "(^|/)(node_modules|dist|\\.turbo|\\.reports)/|^tools/fixtures/(?!src/)|^tools/diff/test/fixture/",
    },
    // Type-only imports count: a type from a tool above is a dependency on it too.
    tsPreCompilationDeps: true,
    // Workspace packages through tsconfig's paths, as the type-check resolves them: to their sources.
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".json"],
    },
  },
};
