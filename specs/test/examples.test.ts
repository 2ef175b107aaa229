import { examplesOf, listApis, loadSpec, specValidator } from "@contracts/spec";
import { describe, expect, it } from "vitest";

describe.each(await listApis())("$id examples", async (api) => {
  const document = await loadSpec(api);
  const validate = specValidator(document);
  const examples = examplesOf(document);

  it("has examples", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)("$name satisfies its schema", ({ schemaPointer, value }) => {
    expect(validate(schemaPointer, value)).toEqual([]);
  });
});
