import { describeReferenceDocs } from "@contracts/docs/browser-check";

// About the project's specs, not the docs tool (whose tests use fixture specs): every API's reference
// page renders its operations in Chromium, so this re-runs whenever a spec changes.
await describeReferenceDocs();
