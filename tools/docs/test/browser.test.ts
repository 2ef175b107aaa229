import { fixtureRoot } from "@contracts/fixtures";
import { describeReferenceDocs } from "../src/browser-check.ts";

await describeReferenceDocs(fixtureRoot);
