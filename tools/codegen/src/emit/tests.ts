import type { Emitter } from "../emitter.ts";
import { mswExample, paginationExample, refreshExample, streamExample, usageExample } from "../examples.ts";
import { generatedHeader } from "../header.ts";
import type { ApiModel } from "../model.ts";
import { lineComment, tsString } from "../print.ts";

/**
 * `test/contract.test.ts`: the contract tests, all derived from the spec by the test kit, against
 * the Prism mock of the registry the package is generated in (wherever that is: a scratch workspace
 * too) and the package's MSW handlers.
 */
export function emitContractTest(api: ApiModel): string {
  return `${generatedHeader(api)}
import { fileURLToPath } from "node:url";
import { describeContract } from "@contracts/testkit/contract";
import { createClient } from "../src/index.ts";
import { createHandlers } from "../src/msw.ts";

${lineComment(`The repository this package is generated in (packages/clients/${api.id}): its registry, spec and mock.`)}
const root = fileURLToPath(new URL("../../../../", import.meta.url));
await describeContract(${tsString(api.id)}, createClient, { root, createHandlers });
`;
}

/** `test/bundle.test.ts`: the built package's size as an app ships it. */
export function emitBundleTest(api: ApiModel): string {
  return `${generatedHeader(api)}
import { fileURLToPath } from "node:url";
import { describeBundle } from "@contracts/testkit/bundle";

await describeBundle(fileURLToPath(new URL("..", import.meta.url)));
`;
}

/** `test/msw-browser.test.ts`: the handlers in Chromium, through msw's service worker. */
export function emitBrowserTest(api: ApiModel): string {
  return `${generatedHeader(api)}
import { fileURLToPath } from "node:url";
import { describeBrowserMocks } from "@contracts/testkit/browser";

await describeBrowserMocks(fileURLToPath(new URL("..", import.meta.url)), ${tsString(api.id)});
`;
}

/** The package's tests that run it: its README's examples compiled (the refresh example where it takes credentials, the stream example where an operation streams), its contract with the mocks, its bundle. */
export const testsEmitter: Emitter = {
  name: "tests",
  files: (api) => ({
    "test/readme-example.ts": `${generatedHeader(api)}\n${usageExample(api)}`,
    ...(refreshExample(api) && { "test/refresh-example.ts": `${generatedHeader(api)}\n${refreshExample(api)}` }),
    ...(paginationExample(api) && {
      "test/pagination-example.ts": `${generatedHeader(api)}\n${paginationExample(api)}`,
    }),
    ...(streamExample(api) && { "test/stream-example.ts": `${generatedHeader(api)}\n${streamExample(api)}` }),
    "test/msw-example.ts": `${generatedHeader(api)}\n${mswExample(api)}`,
    "test/msw-browser.test.ts": emitBrowserTest(api),
    "test/contract.test.ts": emitContractTest(api),
    "test/bundle.test.ts": emitBundleTest(api),
  }),
};
