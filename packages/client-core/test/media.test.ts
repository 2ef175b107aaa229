import { describe, expect, it } from "vitest";
import { essence, isJson } from "../src/media.ts";

describe("essence", () => {
  it.each([
    ["application/json", "application/json"],
    ["Application/JSON; charset=utf-8", "application/json"],
    ["  text/plain ;format=flowed", "text/plain"],
    ["multipart/form-data; boundary=x;y", "multipart/form-data"],
    ["", ""],
    [null, ""],
    [undefined, ""],
  ])("of %j is %j", (mediaType, expected) => {
    expect(essence(mediaType)).toBe(expected);
  });
});

describe("isJson", () => {
  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "application/problem+json",
    "application/vnd.api+json;version=2",
    "APPLICATION/JSON",
  ])("takes %j for JSON", (mediaType) => {
    expect(isJson(mediaType)).toBe(true);
  });

  it.each([
    "text/json",
    "application/jsonl",
    "application/x-ndjson",
    "application/json-seq",
    "application/+json",
    "application/xml",
    "",
    null,
    undefined,
  ])("does not take %j for JSON", (mediaType) => {
    expect(isJson(mediaType)).toBe(false);
  });
});
