import { describe, expect, it } from "vitest";
import { fnv1a, HASH_BUCKETS, hashLineTokens, tokeniseLine } from "../../src/where/hash-tokens.js";

describe("feature hashing of changed lines", () => {
  it("is 32-bit FNV-1a (published test vectors)", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
  });

  it.each([
    ["secp256k1_scalar_add(&r, a, b);", ["secp256k1_scalar_add", "secp256k1", "scalar", "add"]],
    [
      "const userName = getUser();",
      ["const", "username", "user", "name", "getuser", "get", "user"],
    ],
    ["x = 1 + y", []],
    ["// TODO: free it", ["todo", "free", "it"]],
  ])("tokenises %s", (line, expected) => {
    expect(tokeniseLine(line)).toEqual(expected);
  });

  it("gives a unit-length binary bag in [0, HASH_BUCKETS)", () => {
    const features = hashLineTokens(["alpha beta", "beta gamma"]);
    const values = Object.values(features);
    expect(values).toHaveLength(3);
    expect(values.reduce((sum, value) => sum + value * value, 0)).toBeCloseTo(1, 12);
    for (const name of Object.keys(features)) {
      const bucket = Number(name.slice("tok:".length));
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(HASH_BUCKETS);
    }
    expect(hashLineTokens(["1 + 2"])).toEqual({});
  });
});
