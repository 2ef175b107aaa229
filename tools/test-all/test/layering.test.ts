import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fixtureWorkspace } from "@contracts/testkit/workspace";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** `npm run layering` in `root`, as the test command's check runs it. */
const layering = (root: string) =>
  execa("npm", ["run", "--silent", "layering"], { cwd: root, reject: false, all: true });

/** Files that break the README's layering: each case's files, the one the check must name and its rules. */
const backImports = [
  {
    files: {
      "tools/spec/src/probe.ts": 'import { startMocks } from "@contracts/mock";\nexport const probe = startMocks;\n',
    },
    rules: ["ground-imports-no-tool", "tool-imports-no-tool-above"],
  },
  {
    files: {
      "tools/cases/src/probe.ts": 'import { generate } from "@contracts/codegen";\nexport const probe = generate;\n',
    },
    rules: ["tool-imports-no-tool-above"],
  },
  {
    files: {
      "packages/client-core/src/probe.ts":
        'import { readFileSync } from "node:fs";\nexport const probe = readFileSync;\n',
    },
    rules: ["client-core-is-browser-only"],
  },
  {
    files: {
      "packages/clients/probe/src/index.ts":
        'import { listApis } from "../../../../tools/spec/src/index.ts";\nexport const probe = listApis;\n',
    },
    rules: ["generated-client-imports-client-core-only"],
  },
  {
    files: {
      "tools/mock/src/probe.ts":
        'import { copyRepository } from "@contracts/testkit/workspace";\nexport const probe = copyRepository;\n',
    },
    rules: ["testkit-only-in-tests"],
  },
  {
    // The cases list no CLI kit: turbo's hashes and codegen's stamp would miss it.
    files: {
      "tools/cases/src/probe-cli.ts": 'import { parseCli } from "@contracts/cli";\nexport const probe = parseCli;\n',
    },
    rules: ["imports-what-its-manifest-lists"],
  },
  {
    // The mock is a devDependency of codegen, for its tests: its sources may not run it.
    files: {
      "tools/codegen/src/probe.ts": 'import { startMocks } from "@contracts/mock";\nexport const probe = startMocks;\n',
    },
    rules: ["imports-what-its-manifest-lists"],
  },
  {
    // A cycle is named once, from its first file.
    files: {
      "tools/verify/src/probe-a.ts": 'import { b } from "./probe-b.ts";\nexport const a = () => b;\n',
      "tools/verify/src/probe-b.ts": 'import { a } from "./probe-a.ts";\nexport const b = () => a;\n',
    },
    rules: ["no-circular"],
  },
];

// A scratch copy of the repository (the tools, client-core and the check's config as they are
// here), checked as it is, then with a back-import of each kind added.
describe("the layering check", () => {
  let root: string;
  let clean: Awaited<ReturnType<typeof layering>>;
  let broken: Awaited<ReturnType<typeof layering>>;

  beforeAll(async () => {
    root = await fixtureWorkspace("test-all-layering-");
    clean = await layering(root);
    for (const [file, source] of backImports.flatMap(({ files }) => Object.entries(files))) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), source);
    }
    broken = await layering(root);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("passes on the repository", () => {
    expect(clean.all).toContain("no dependency violations found");
    expect(clean.exitCode).toBe(0);
  });

  it("fails on each back-import, naming the rule and the importing file", () => {
    expect(broken.exitCode).not.toBe(0);
    for (const { files, rules } of backImports) {
      const file = Object.keys(files)[0]!;
      for (const rule of rules) expect(broken.all).toContain(`error ${rule}: ${file} →`);
    }
  });
});
