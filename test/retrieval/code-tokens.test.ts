import { describe, expect, it } from "vitest";
import { codeTokens } from "../../src/retrieval/code-tokens.js";

describe("codeTokens", () => {
  it.each([
    ["secp256k1_fe_mul(&r, &a);", ["secp256k1_fe_mul", "secp256k1", "fe", "mul"]],
    ["parseDiffHunks(text)", ["parsediffhunks", "parse", "diff", "hunks", "text"]],
    ["HTTPServer x", ["httpserver", "http", "server"]],
    ["__init__ = 1 + a", ["init"]],
    ["// fix the off-by-one", ["fix", "the", "off", "by", "one"]],
  ])("%s", (text, expected) => {
    expect(codeTokens(text)).toEqual(expected);
  });
});
