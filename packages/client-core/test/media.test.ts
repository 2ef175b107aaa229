import { describe, expect, it } from "vitest";
import { essence, isJson, isXml } from "../src/media.ts";

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

describe("isXml", () => {
  it.each(["application/xml", "text/xml; charset=utf-8", "application/atom+xml", "image/svg+xml", "TEXT/XML"])(
    "takes %j for XML",
    (mediaType) => {
      expect(isXml(mediaType)).toBe(true);
    },
  );

  it.each(["application/xml-dtd", "application/json", "text/plain", "application/+xml", "", null])(
    "does not take %j for XML",
    (mediaType) => {
      expect(isXml(mediaType)).toBe(false);
    },
  );
});
