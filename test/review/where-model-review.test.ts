import { afterEach, describe, expect, it } from "vitest";
import type { PlanWhere } from "../../src/review/where-plan.js";
import { WHERE_FEATURE_SPEC } from "../../src/where/compute-where-features.js";
import { planWhereReading } from "../../src/where/plan-where-reading.js";
import { summariseReviewerHistory } from "../../src/where/summarise-reviewer-history.js";
import type { WhereModel } from "../../src/where/where-model.js";
import { lastUserMessage } from "../../support/llm/fake-openai-server.js";
import { readDiffFixture } from "./support/acceptable-comment-lines.js";
import {
  hunkOfRequest,
  REVIEWS_ROUTE,
  type ReviewHarness,
  startReviewHarness,
} from "./support/review-harness.js";

let harness: ReviewHarness | undefined;
afterEach(async () => {
  expect(harness?.github.violations).toEqual([]);
  expect(harness?.misplacedComments()).toEqual([]);
  await harness?.close();
  harness = undefined;
});

/** A where-model that speaks on hunks adding many lines: P rises with log(1 + adds). */
function whereModel(threshold: number, quiet = threshold): WhereModel {
  return {
    format: "tech-lead-bot/where-model",
    formatVersion: 1,
    featureSpec: WHERE_FEATURE_SPEC,
    mode: "balanced",
    intercept: -4,
    weights: { "shape:adds": 2.5 },
    calibration: { kind: "sigmoid", slope: 1, offset: 0 },
    decision: { kind: "threshold", threshold, note: "test" },
    decisions: {
      balanced: { kind: "threshold", threshold, note: "test" },
      quiet: { kind: "threshold", threshold: quiet, note: "test" },
    },
    cv: null,
    hyperParameters: {},
    topFeatures: [],
    trainedOn: { rows: 100, pulls: 20, positives: 20, commentedPulls: 10 },
    summary: summariseReviewerHistory({
      history: { pulls: [], comments: [] },
      before: "2024-01-01",
    }),
  };
}

/** What the run's review stage hands the review: planWhereReading bound to the model. */
const plannerFor =
  (model: WhereModel): PlanWhere =>
  (params) =>
    planWhereReading({ ...params, model });

const commentOnFirstLine = (request: { messages: { role: string; content: string }[] }) => {
  const { changedAnchors } = hunkOfRequest(lastUserMessage(request as never));
  return { text: `${changedAnchors[0]}: Could this be simpler?`, noCommentProbability: 0.2 };
};

function reviewBodies(h: ReviewHarness): string[] {
  return h.github.calls(REVIEWS_ROUTE).map((request) => (request.body as { body: string }).body);
}

describe("a review with the reviewer's where-model", () => {
  const diff = readDiffFixture("mixed-changes.diff");

  it("asks the LLM only about the hunks it selects plus a margin, and says how many it read and would comment on", async () => {
    harness = await startReviewHarness({ diff, answer: commentOnFirstLine });
    const everyHunk = await (async () => {
      const probe = await startReviewHarness({ diff, answer: commentOnFirstLine });
      try {
        await probe.run();
        return probe.hunkRequests().map((request) => hunkOfRequest(lastUserMessage(request)));
      } finally {
        await probe.close();
      }
    })();
    expect(everyHunk.length).toBeGreaterThan(3);
    // P(comment) = σ(−4 + 2.5·log(1 + adds)) ≥ 0.5 ⇔ adds ≥ e^1.6 − 1 ≈ 3.95
    const outcome = await harness.run({ planWhere: plannerFor(whereModel(0.5)) });
    const where = outcome.counts.where;
    expect(where?.rule).toBe("where-model");
    if (where?.rule !== "where-model") throw new Error("no where-model counts");
    expect(where.hunksScored).toBe(everyHunk.length);
    expect(where.wouldComment).toBeGreaterThan(0);
    expect(where.wouldComment).toBeLessThan(everyHunk.length);
    expect(where.askedModel).toBe(
      where.wouldComment + Math.max(1, Math.ceil(where.wouldComment * 0.25)),
    );
    expect(harness.hunkRequests()).toHaveLength(where.askedModel);
    expect(outcome.counts.hunksRead).toBe(everyHunk.length);
    expect(outcome.counts.commentsPosted).toBeLessThanOrEqual(where.wouldComment);
    expect(outcome.counts.commentsPosted).toBeGreaterThan(0);
    const final = harness.statuses.at(-1);
    expect(final?.details).toContain(
      `where: the where-model (balanced) read ${everyHunk.length} hunks and would comment on ${where.wouldComment}; the model was asked on ${where.askedModel} (those plus a margin)`,
    );
    expect(reviewBodies(harness)[0]).toMatch(
      new RegExp(
        `where-model \\(balanced\\) picked ${where.wouldComment} of the ${everyHunk.length} hunks`,
      ),
    );
    // Nothing new on a rerun: the hunks it let pass count as read too.
    const again = await harness.run({ planWhere: plannerFor(whereModel(0.5)) });
    expect(again.counts.alreadyReviewed).toBe(everyHunk.length);
    expect(harness.hunkRequests()).toHaveLength(where.askedModel);
  });

  it("takes review.where: quiet from the repository's config", async () => {
    harness = await startReviewHarness({ diff, answer: commentOnFirstLine });
    const outcome = await harness.run({
      planWhere: plannerFor(whereModel(0.3, 0.99)),
      repoConfigFile: { review: { where: "quiet" } },
    });
    expect(outcome.counts.where).toMatchObject({
      rule: "where-model",
      mode: "quiet",
      wouldComment: 0,
      askedModel: 0,
    });
    expect(harness.hunkRequests()).toHaveLength(0);
    expect(outcome.counts.commentsPosted).toBe(0);
  });

  it("without a where-model reads every hunk with the LLM and says the rate budget decided", async () => {
    harness = await startReviewHarness({ diff, answer: commentOnFirstLine });
    const outcome = await harness.run();
    expect(outcome.counts.where).toEqual({
      rule: "rate-budget",
      reason: "no where-model for this reviewer yet",
    });
    expect(harness.hunkRequests()).toHaveLength(outcome.counts.hunksRead);
    expect(harness.statuses.at(-1)?.details).toContain(
      "where: the reviewer's usual comment rate decided (no where-model for this reviewer yet); the model read every hunk",
    );
  });

  it("refuses a review.where it does not know, naming the key", async () => {
    harness = await startReviewHarness({ diff, answer: commentOnFirstLine });
    await expect(harness.run({ repoConfigFile: { review: { where: "loud" } } })).rejects.toThrow(
      /review\.where.*balanced.*quiet/,
    );
  });
});
