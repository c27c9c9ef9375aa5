import { describe, expect, it } from "vitest";
import { buildDataset } from "../../src/history/build-dataset.js";
import type { CleanComment } from "../../src/history/clean-comments.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";
import { augmentTrainingSet } from "../../src/retrieval/augment-training-set.js";

const templates = await loadPrompts();
const subject = { owner: "acme", repo: "widgets", reviewerLogin: "alice" };

/** Comments on the same code in different pull requests and moments, so all match each other. */
function comment(index: number, pullNumber: number, day: number): CleanComment {
  return {
    id: `C${index}`,
    pullNumber,
    path: `src/fe_${index % 2}.c`,
    diffHunk:
      "@@ -1,2 +1,3 @@\n secp256k1_fe_mul(&r, &a, &b);\n-secp256k1_fe_normalize(&r);\n+secp256k1_fe_normalize_var(&r);",
    side: "RIGHT",
    line: 2,
    createdAt: `2024-01-${String(day).padStart(2, "0")}T10:00:00Z`,
    text: `remark number ${index}`,
    target: `remark number ${index}`,
  };
}

/** The comments a user turn shows as precedents (`- <path>: <comment>` lines after the hunk). */
function shownPrecedents(userTurn: string): string[] {
  const block = userTurn.split("\n\n").at(-1) ?? "";
  if (!block.startsWith("What alice said before")) return [];
  return block
    .split("\n")
    .slice(1)
    .map((line) => line.replace(/^- [^:]+: /, ""));
}

describe("augmentTrainingSet: retrieval-augmented training data", () => {
  // Pull 1 has two comments on different days; the others one each. C5 comes before C4 in time.
  const comments = [
    comment(1, 1, 1),
    comment(2, 1, 2),
    comment(3, 2, 3),
    comment(4, 3, 9),
    comment(5, 4, 5),
  ];
  const dataset = buildDataset({
    templates,
    subject,
    comments,
    negatives: [
      {
        pullNumber: 5,
        totalHunks: 1,
        commentedHunks: 0,
        hunks: [
          {
            path: "src/fe_0.c",
            patch: "@@ -1,2 +1,2 @@\n secp256k1_fe_mul(&r, &a, &b);\n-secp256k1_fe_normalize(&r);",
          },
        ],
        fullHunks: [],
      },
    ],
    maxHunkLines: 40,
  });
  const pullCreatedAt = new Map([
    [1, "2023-12-30T00:00:00Z"],
    [2, "2024-01-03T00:00:00Z"],
    [3, "2024-01-08T00:00:00Z"],
    [4, "2024-01-04T00:00:00Z"],
    [5, "2024-01-06T00:00:00Z"],
  ]);
  const { train, index } = augmentTrainingSet({
    examples: dataset,
    targets: new Map(comments.map((entry) => [entry.id, entry.target])),
    pullCreatedAt,
    templates,
    reviewerLogin: "alice",
    builtAt: "2024-02-01T00:00:00Z",
  });
  const timeOf = new Map(comments.map((entry) => [entry.target, entry.createdAt]));
  const pullOf = new Map(comments.map((entry) => [entry.target, entry.pullNumber]));

  it("indexes every kept comment once, oldest first", () => {
    expect(index.precedents.map((entry) => entry.id)).toEqual(["C1", "C2", "C3", "C5", "C4"]);
  });

  it("never shows an example its own comment, a later one, or one from its own pull request", () => {
    train.forEach((example, position) => {
      const source = dataset[position];
      if (!source) throw new Error("one training example per dataset example");
      const before = source.source.at ?? pullCreatedAt.get(source.pullNumber) ?? "";
      for (const shown of shownPrecedents(example.chat.messages[1].content)) {
        expect(shown).not.toBe(example.chat.messages[2].content.replace(/^R\d+: /, ""));
        expect(Date.parse(timeOf.get(shown) ?? "")).toBeLessThan(Date.parse(before));
        expect(pullOf.get(shown)).not.toBe(source.pullNumber);
      }
    });
  });

  it("shows every earlier comment of other pull requests, closest first (same file first)", () => {
    const shownFor = (id: string) => {
      const position = dataset.findIndex((example) => example.source.commentId === id);
      return shownPrecedents(train[position]?.chat.messages[1].content ?? "");
    };
    expect(shownFor("C1")).toEqual([]);
    expect(shownFor("C2")).toEqual([]); // C1 is earlier but in the same pull request
    expect(shownFor("C3")).toEqual(["remark number 1", "remark number 2"]);
    // C4 (day 9, src/fe_0.c) sees C1, C2, C3 and C5 (day 5) on the same code; k = 3: C2 on its
    // own file first (it also shares the path's token), then the newest of the equals.
    expect(shownFor("C4")).toEqual(["remark number 2", "remark number 5", "remark number 3"]);
    // The negative (pull 5, src/fe_0.c, opened on day 6) sees what was said before day 6.
    const negative = train.find((example) => example.kind === "no-comment");
    expect(shownPrecedents(negative?.chat.messages[1].content ?? "")).toEqual([
      "remark number 2",
      "remark number 5",
      "remark number 3",
    ]);
  });

  it("leaves the answers and system turns as they were", () => {
    train.forEach((example, position) => {
      expect(example.chat.messages[0]).toEqual(dataset[position]?.chat.messages[0]);
      expect(example.chat.messages[2]).toEqual(dataset[position]?.chat.messages[2]);
    });
  });
});
