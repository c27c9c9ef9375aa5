import { describe, expect, it } from "vitest";
import { pickPrecedents } from "../../src/retrieval/pick-precedents.js";
import type { Precedent } from "../../src/retrieval/precedent-index.js";

const precedent = (id: string, path: string, at: string, pullNumber = 1): Precedent => ({
  id,
  pullNumber,
  path,
  at,
  code: "",
  comment: `comment ${id}`,
});

describe("pickPrecedents", () => {
  const precedents = [
    precedent("a", "src/field.h", "2020-01-01T00:00:00Z", 1),
    precedent("b", "include/scalar.h", "2020-02-01T00:00:00Z", 2),
    precedent("c", "src/field_impl.h", "2020-03-01T00:00:00Z", 3),
    precedent("d", "tests/field.c", "2020-04-01T00:00:00Z", 4),
  ];
  const ids = (picked: Precedent[]) => picked.map((entry) => entry.id);

  it("keeps only earlier precedents, never the query's own comment or pull request", () => {
    const scores = [5, 5, 5, 5];
    expect(
      ids(
        pickPrecedents({
          precedents,
          scores,
          query: { path: "x.c", before: "2020-03-01T00:00:00.000Z", excludeId: "a" },
          k: 10,
        }),
      ),
    ).toEqual(["b"]);
    expect(
      ids(pickPrecedents({ precedents, scores, query: { path: "x.c", pullNumber: 4 }, k: 10 })),
    ).not.toContain("d");
  });

  it("drops precedents that share nothing with the hunk (score 0)", () => {
    expect(
      ids(pickPrecedents({ precedents, scores: [0, 2, 0, 1], query: { path: "x.c" }, k: 3 })),
    ).toEqual(["b", "d"]);
  });

  it("puts the same file, then the same directory, first among scores as close", () => {
    // 10 and 9.8 are within 5% of the best; 9 is not.
    const scores = [9.8, 10, 9.85, 9];
    expect(
      ids(pickPrecedents({ precedents, scores, query: { path: "src/field.h" }, k: 4 })),
    ).toEqual(["a", "c", "b", "d"]);
    // A clearly closer precedent elsewhere still beats the same file.
    expect(
      ids(
        pickPrecedents({ precedents, scores: [5, 10, 0, 0], query: { path: "src/field.h" }, k: 2 }),
      ),
    ).toEqual(["b", "a"]);
  });
});
