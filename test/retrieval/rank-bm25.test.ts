import { describe, expect, it } from "vitest";
import { buildBm25Index } from "../../src/retrieval/rank-bm25.js";

describe("buildBm25Index", () => {
  const documents = [
    ["fe", "mul", "normalize", "fe"],
    ["scalar", "add", "overflow"],
    ["fe", "sqr", "normalize"],
    ["ecmult", "gen", "context", "context", "context", "context", "context", "context"],
  ];
  const index = buildBm25Index(documents);

  it("ranks the document sharing the rarest words first and gives nothing to unrelated ones", () => {
    const scores = index.score(["scalar", "overflow"]);
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores.filter((score) => score > 0)).toHaveLength(1);
  });

  it("weighs a rare shared word above a common one", () => {
    // "mul" is in one document, "normalize" in two.
    const [first, , third] = index.score(["mul", "normalize"]);
    expect(first).toBeGreaterThan(third ?? 0);
  });

  it("saturates repeated words and discounts long documents", () => {
    const short = buildBm25Index([["context"], ["context", "a", "b", "c", "d", "e", "f", "g"]]);
    const [one, long] = short.score(["context"]);
    expect(one).toBeGreaterThan(long ?? 0);
    const repeated = buildBm25Index([
      ["x", "x", "x", "x"],
      ["x", "y", "z", "w"],
    ]).score(["x"]);
    expect((repeated[0] ?? 0) / (repeated[1] ?? 1)).toBeLessThan(4);
  });

  it("scores an empty index and an unknown query as nothing", () => {
    expect(buildBm25Index([]).score(["fe"])).toEqual([]);
    expect(index.score(["unknown"])).toEqual([0, 0, 0, 0]);
  });
});
