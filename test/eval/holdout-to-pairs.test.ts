import { describe, expect, it } from "vitest";
import { buildScorePairs } from "../../src/eval/build-score-pairs.js";
import { type HoldoutExample, parseHoldout } from "../../src/eval/read-holdout.js";
import { selectOverHoldout } from "../../src/eval/select-over-holdout.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";
import type { ReviewAnswer } from "../../src/prompts/review-answer.js";
import type { HunkVerdict } from "../../src/review/review-hunk.js";
import {
  hunksOfFixture,
  makeDatasetJsonl,
  REPO_FULL_NAME,
  SUBJECT,
} from "./support/make-dataset.js";

const templates = await loadPrompts();
const hunks = await hunksOfFixture("mixed-changes");
const [someHunk] = hunks;
if (!someHunk) throw new Error("fixture has no hunk");

function example(index: number, gold: ReviewAnswer): HoldoutExample {
  return { index, hunk: someHunk as HoldoutExample["hunk"], gold };
}

describe("parseHoldout", () => {
  it("reads the history stage's holdout into hunks and the reviewer's answers", async () => {
    const text = await makeDatasetJsonl({ hunks: hunks.slice(0, 4), firstPullNumber: 1 });
    const examples = parseHoldout({
      text,
      source: "holdout.jsonl",
      templates,
      reviewerLogin: SUBJECT.reviewerLogin,
      repoFullName: REPO_FULL_NAME,
    });
    expect(examples.map((entry) => entry.index)).toEqual([0, 1, 2, 3]);
    // buildDataset lists the comments (hunks 0 and 2) first, each on its first changed line.
    expect(examples.map((entry) => entry.gold.kind)).toEqual([
      "comment",
      "comment",
      "no-comment",
      "no-comment",
    ]);
    // dist/bundle.min.js: the first changed line is the deleted old line 7.
    expect(examples[0]?.gold).toEqual({
      kind: "comment",
      side: "LEFT",
      line: 7,
      body: "Please add a test for the error path here.",
    });
    expect(examples[0]?.hunk.path).toBe(hunks[0]?.path);
    expect(examples[2]?.hunk.lines).toEqual(hunks[1]?.lines);
  });

  it("reads the reviewer's comments back unaltered, a closing code span included", async () => {
    const remarks = ["Use `size_t`", "`n` could overflow", "Prefer `a.b()`."];
    const text = await makeDatasetJsonl({ hunks: hunks.slice(0, 6), firstPullNumber: 1, remarks });
    const examples = parseHoldout({
      text,
      source: "holdout.jsonl",
      templates,
      reviewerLogin: SUBJECT.reviewerLogin,
      repoFullName: REPO_FULL_NAME,
    });
    const golds = examples.flatMap((entry) =>
      entry.gold.kind === "comment" ? [entry.gold.body] : [],
    );
    expect(golds).toEqual(remarks);
  });

  it("refuses a holdout built for another reviewer, naming the line and the fix", async () => {
    const text = await makeDatasetJsonl({ hunks: hunks.slice(0, 2), firstPullNumber: 1 });
    expect(() =>
      parseHoldout({
        text,
        source: "holdout.jsonl",
        templates,
        reviewerLogin: "bob",
        repoFullName: REPO_FULL_NAME,
      }),
    ).toThrow(/line 1 of holdout.jsonl: .*not the persona of bob in acme\/shop: check --reviewer/);
  });
});

describe("buildScorePairs", () => {
  const comment = (side: "LEFT" | "RIGHT", line: number, body: string): ReviewAnswer => ({
    kind: "comment",
    side,
    line,
    body,
  });
  const said = (side: "LEFT" | "RIGHT", line: number, text: string) =>
    ({ commented: true, text, placement: { side, line } }) as const;

  it.each([
    {
      name: "both commented on the same side: both lines",
      gold: comment("RIGHT", 12, "Add a test."),
      prediction: said("RIGHT", 14, "Needs a test."),
      pair: {
        gold: "Add a test.",
        pred: "Needs a test.",
        gold_commented: true,
        pred_commented: true,
        gold_line: 12,
        pred_line: 14,
      },
    },
    {
      name: "prediction on the other side of the diff: no line, a miss",
      gold: comment("RIGHT", 12, "Add a test."),
      prediction: said("LEFT", 12, "Why delete this?"),
      pair: { gold_commented: true, pred_commented: true, gold_line: 12, pred_line: null },
    },
    {
      name: "reviewer silent, model spoke",
      gold: { kind: "no-comment" } as const,
      prediction: said("LEFT", 3, "Why delete this?"),
      pair: {
        gold: "",
        pred: "Why delete this?",
        gold_commented: false,
        pred_commented: true,
        gold_line: null,
        pred_line: 3,
      },
    },
    {
      name: "reviewer spoke, model silent",
      gold: comment("LEFT", 5, "Keep this."),
      prediction: { commented: false } as const,
      pair: {
        gold: "Keep this.",
        pred: "",
        gold_commented: true,
        pred_commented: false,
        gold_line: 5,
        pred_line: null,
      },
    },
    {
      name: "both silent",
      gold: { kind: "no-comment" } as const,
      prediction: { commented: false } as const,
      pair: {
        gold: "",
        pred: "",
        gold_commented: false,
        pred_commented: false,
        gold_line: null,
        pred_line: null,
      },
    },
  ])("$name", ({ gold, prediction, pair }) => {
    const [built] = buildScorePairs({ examples: [example(0, gold)], predictions: [prediction] });
    expect(built).toMatchObject(pair);
  });

  it("refuses predictions that do not cover the holdout one to one", () => {
    expect(() =>
      buildScorePairs({ examples: [example(0, { kind: "no-comment" })], predictions: [] }),
    ).toThrow(/0 predictions for 1 holdout hunks/);
  });
});

describe("selectOverHoldout", () => {
  const verdict = (body: string, score: number | undefined): HunkVerdict => ({
    kind: "comment",
    body,
    placement: { side: "RIGHT", line: 7 },
    usedFallbackLine: false,
    score,
  });
  const read = (verdicts: HunkVerdict[]) =>
    verdicts.map((entry, index) => ({
      item: { example: example(index, { kind: "no-comment" }), hunk: hunks[index] ?? someHunk },
      verdict: entry,
    }));

  it("keeps the budget's most likely comments, as posted, and nothing past them", () => {
    const predictions = selectOverHoldout({
      read: read([
        verdict("low", 0.2),
        { kind: "no-comment", score: 0.1 },
        verdict("high <b>bold</b> @alice", 0.9),
        verdict("middle", 0.5),
        verdict("lowest", 0.15),
      ]),
      holdoutSize: 6,
      budget: 2,
    });
    // A budget of 2; the sixth hunk got no answer and stays silent.
    expect(predictions.map((prediction) => prediction.commented)).toEqual([
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(predictions[2]).toMatchObject({ text: "high bold @\u200dalice" });
  });

  it("leaves a comment that is empty after sanitising silent", () => {
    const predictions = selectOverHoldout({
      read: read([verdict("<img src=x>", 0.9), verdict("real remark", 0.3)]),
      holdoutSize: 2,
      budget: 1,
    });
    expect(predictions).toEqual([
      { commented: false },
      { commented: true, text: "real remark", placement: { side: "RIGHT", line: 7 } },
    ]);
  });

  it("does not let the holdout's order decide between equal scores", () => {
    const orders = [0, 1, 2, 3].map((first) => {
      const verdicts = [0, 1, 2, 3].map((index) => verdict(`remark ${index}`, undefined));
      const entries = read(verdicts);
      const rotated = [...entries.slice(first), ...entries.slice(0, first)];
      return selectOverHoldout({ read: rotated, holdoutSize: 4, budget: 1 })
        .map((prediction, index) => (prediction.commented ? index : -1))
        .filter((index) => index >= 0);
    });
    // The same hunk wins whichever comes first in the holdout.
    expect(new Set(orders.map((chosen) => JSON.stringify(chosen))).size).toBe(1);
  });
});
