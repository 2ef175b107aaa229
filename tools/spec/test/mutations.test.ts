import { describe, expect, it } from "vitest";
import {
  isObject,
  type Json,
  jsonTypes,
  objectPaths,
  primitivePaths,
  unknownKey,
  valueAt,
  withFirstWrongType,
  withoutKey,
  withUnknownKey,
  withValue,
  wrongTypeValues,
} from "../src/mutations.ts";

const body: Json = { updates: { name: "Org", preferences: { days: 90, flag: false } }, tags: ["a"] };

describe("body mutations", () => {
  it("tells JSON objects from arrays and null", () => {
    expect([{}, [], null, "x"].map(isObject)).toEqual([true, false, false, false]);
  });

  it("sets a value at a path without touching the original, creating parents", () => {
    const changed = withValue(body, ["updates", "preferences", "days"], 1);
    expect(valueAt(changed, ["updates", "preferences", "days"])).toBe(1);
    expect(valueAt(body, ["updates", "preferences", "days"])).toBe(90);
    expect(withValue({}, ["a", "b"], "x")).toEqual({ a: { b: "x" } });
    expect(withValue(body, [], 0)).toBe(0);
  });

  it("removes a key, and adds the one unknown key at any object", () => {
    expect(withoutKey(body, ["updates", "name"])).toEqual({
      updates: { preferences: { days: 90, flag: false } },
      tags: ["a"],
    });
    expect(withUnknownKey(body, ["updates"])).toMatchObject({ updates: { [unknownKey]: true, name: "Org" } });
    expect(Object.keys(withUnknownKey({ a: 1 }) as object)).toEqual(["a", unknownKey]);
  });

  it("gives one value of every JSON type the schema does not allow", () => {
    expect(wrongTypeValues(["string"]).map(({ type }) => type)).toEqual([
      "null",
      "boolean",
      "number",
      "array",
      "object",
    ]);
    // An integer field still gets a number: 1.5, which is no integer.
    expect(wrongTypeValues(["integer"])).toContainEqual({ type: "number", value: 1.5 });
    expect(wrongTypeValues(["string", "null"]).map(({ type }) => type)).not.toContain("null");
    expect(wrongTypeValues([])).toEqual([]);
    for (const type of jsonTypes)
      expect(wrongTypeValues(jsonTypes.filter((other) => other !== type)).map((wrong) => wrong.type)).toEqual([type]);
  });

  it("finds every object and every primitive by path", () => {
    expect(objectPaths(body)).toEqual([[], ["updates"], ["updates", "preferences"]]);
    expect(primitivePaths(body)).toEqual([
      ["updates", "name"],
      ["updates", "preferences", "days"],
      ["updates", "preferences", "flag"],
    ]);
  });

  it("swaps the first primitive for a value of another type", () => {
    expect(withFirstWrongType(body)).toEqual({
      ...body,
      updates: { name: 42, preferences: { days: 90, flag: false } },
    });
    expect(withFirstWrongType({ n: 1 })).toEqual({ n: "42" });
    expect(withFirstWrongType({ b: true })).toEqual({ b: "true" });
    expect(withFirstWrongType({ list: [], none: null })).toBeUndefined();
  });
});
