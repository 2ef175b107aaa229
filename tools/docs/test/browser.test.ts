import { fixtureRoot } from "@contracts/testkit/fixtures";
import { describeReferenceDocs } from "../src/browser-check.ts";

await describeReferenceDocs(fixtureRoot);
