import { describe, expect, it } from "vitest";
import { buildDataset, toJsonl } from "../../src/history/build-dataset.js";
import type { CleanComment } from "../../src/history/clean-comments.js";
import type { ReviewedPull } from "../../src/history/history-records.js";
import {
  chooseHoldoutCutoff,
  chooseNegativePulls,
  isHeldOut,
} from "../../src/history/split-holdout.js";

const templates = {
  system: "Be {{reviewer}} in {{repo}}.",
  hunk: "File: {{path}}\n\n{{hunk}}",
  precedents: "{{reviewer}} said:\n{{precedents}}",
};
const subject = { owner: "acme", repo: "widgets", reviewerLogin: "alice" };

const comment: CleanComment = {
  id: "C1",
  pullNumber: 3,
  path: "src/a.ts",
  diffHunk: "@@ -1,2 +1,3 @@\n a\n-b\n+c",
  side: "RIGHT",
  line: 2,
  createdAt: "2024-01-01T00:00:00Z",
  text: "Name it `count`.\nIt is a count.",
  target: "Name it `count`.",
};

describe("buildDataset", () => {
  it("writes OpenAI-format chats, one JSON object with only `messages` per line", () => {
    const examples = buildDataset({
      templates,
      subject,
      comments: [comment],
      negatives: [
        {
          pullNumber: 3,
          totalHunks: 2,
          commentedHunks: 1,
          hunks: [{ path: "src/b.ts", patch: "@@ -7 +7 @@\n-x\n+y" }],
          fullHunks: [],
        },
      ],
      maxHunkLines: 40,
    });
    expect(toJsonl(examples)).toBe(
      `${JSON.stringify({
        messages: [
          { role: "system", content: "Be alice in acme/widgets." },
          { role: "user", content: "File: src/a.ts\n\n@@ -1,2 +1,3 @@\nR1  a\nL2 -b\nR2 +c" },
          { role: "assistant", content: "R2: Name it `count`." },
        ],
      })}\n${JSON.stringify({
        messages: [
          { role: "system", content: "Be alice in acme/widgets." },
          { role: "user", content: "File: src/b.ts\n\n@@ -7 +7 @@\nL7 -x\nR7 +y" },
          { role: "assistant", content: "NO_COMMENT" },
        ],
      })}\n`,
    );
  });

  it("keeps the end of a long commented hunk (the target) and the start of a long negative", () => {
    const long = [
      "@@ -1,50 +1,50 @@",
      ...Array.from({ length: 50 }, (_u, index) => ` line${index + 1}`),
    ].join("\n");
    const [positive, negative] = buildDataset({
      templates,
      subject,
      comments: [{ ...comment, diffHunk: long, line: 50 }],
      negatives: [
        {
          pullNumber: 3,
          totalHunks: 1,
          commentedHunks: 0,
          hunks: [{ path: "b", patch: long }],
          fullHunks: [],
        },
      ],
      maxHunkLines: 10,
    });
    expect(positive?.chat.messages[1].content).toMatch(
      /^File: src\/a\.ts\n\n@@[^\n]*\nR41 {2}line41\n[\s\S]*R50 {2}line50$/,
    );
    expect(negative?.chat.messages[1].content).toMatch(/\nR1 {3}line1\n[\s\S]*R10 {2}line10$/);
  });
});

describe("buildDataset with the whole hunk", () => {
  it("shows the lines after the commented one when the PR's files still hold its hunk", () => {
    const full = "@@ -1,2 +1,4 @@\n a\n-b\n+c\n+d\n e";
    const [example] = buildDataset({
      templates,
      subject,
      comments: [comment],
      negatives: [
        {
          pullNumber: 3,
          totalHunks: 1,
          commentedHunks: 1,
          hunks: [],
          fullHunks: [{ commentId: "C1", patch: full }],
        },
      ],
      maxHunkLines: 40,
    });
    expect(example?.fullHunk).toBe(true);
    expect(example?.chat.messages[1].content).toBe(
      "File: src/a.ts\n\n@@ -1,2 +1,4 @@\nR1  a\nL2 -b\nR2 +c\nR3 +d\nR4  e",
    );
    expect(example?.chat.messages[2].content).toBe("R2: Name it `count`.");
  });
});

describe("holdout", () => {
  const pull = (number: number, day: number): ReviewedPull => ({
    id: `P${number}`,
    number,
    createdAt: `2024-01-${String(day).padStart(2, "0")}T00:00:00Z`,
    authorLogin: "bob",
  });
  const pulls = [pull(1, 1), pull(2, 2), pull(3, 3), pull(4, 4), pull(5, 5)];

  it.each<[string, Array<[number, number]>, number, string | undefined]>([
    [
      "the newest 10% of comments, by pull request",
      [
        [1, 10],
        [2, 10],
        [3, 10],
        [4, 5],
        [5, 5],
      ],
      0.1,
      "2024-01-05T00:00:00Z",
    ],
    [
      "more pull requests until the share is reached",
      [
        [1, 10],
        [2, 10],
        [3, 10],
        [4, 3],
        [5, 2],
      ],
      0.1,
      "2024-01-04T00:00:00Z",
    ],
    ["nothing when one pull request has all comments", [[1, 10]], 0.1, undefined],
    [
      "nothing for a zero fraction",
      [
        [1, 10],
        [2, 10],
      ],
      0,
      undefined,
    ],
  ])("holds out %s", (_name, counts, fraction, cutoff) => {
    expect(chooseHoldoutCutoff({ pulls, commentsPerPull: new Map(counts), fraction })).toBe(cutoff);
  });

  it("shares the negatives budget between holdout and training, newest first", () => {
    const cutoff = "2024-01-04T00:00:00Z";
    expect(pulls.filter((entry) => isHeldOut(entry, cutoff)).map((entry) => entry.number)).toEqual([
      4, 5,
    ]);
    expect(chooseNegativePulls({ pulls, cutoff, maxPulls: 3, fraction: 0.1 })).toEqual([5, 3, 2]);
    expect(chooseNegativePulls({ pulls, cutoff, maxPulls: 0, fraction: 0.1 })).toEqual([]);
  });
});
