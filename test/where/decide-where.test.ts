import { describe, expect, it } from "vitest";
import { WHERE_FEATURE_SPEC } from "../../src/where/compute-where-features.js";
import { decideWhere } from "../../src/where/decide-where.js";
import type { WhereModel } from "../../src/where/where-model.js";

const model = (decision: WhereModel["decision"], featureSpec = WHERE_FEATURE_SPEC): WhereModel => ({
  format: "tech-lead-bot/where-model",
  formatVersion: 1,
  featureSpec,
  mode: "quiet",
  intercept: 0,
  weights: {},
  calibration: { kind: "sigmoid", slope: 1, offset: 0 },
  decision,
  cv: null,
  hyperParameters: {},
  topFeatures: [],
  trainedOn: { rows: 10, pulls: 2, positives: 1, commentedPulls: 1 },
});

describe("decideWhere", () => {
  const scores = [0.1, 0.7, 0.4, 0.9, 0.4];

  it("speaks where the calibrated probability reaches the model's threshold", () => {
    const decision = decideWhere({
      model: model({ kind: "threshold", threshold: 0.4, note: "cv" }),
      scores,
      reviewerCommentRate: 0.01,
    });
    expect(decision.speaks).toEqual([false, true, true, true, true]);
    expect(decision.rule).toBe("threshold");
    expect(decision.explanation).toMatch(/4 of 5 hunks reach P\(comment\) ≥ 0\.400/);
  });

  it.each([
    ["no model", undefined, 0.3, /no where-model for this reviewer yet/],
    [
      "a model fitted on too little history",
      model({
        kind: "rate-budget",
        rate: 0.3,
        reason: "too little history to choose a threshold: 3 commented pull requests",
      }),
      0.9,
      /too little history to choose a threshold: 3 commented pull requests/,
    ],
    [
      "a model of another feature spec",
      model({ kind: "threshold", threshold: 0.1, note: "cv" }, "where-features/0"),
      0.3,
      /trained on features "where-features\/0".*retrain the reviewer/,
    ],
  ])(
    "falls back to the rate budget ⌈rate × hunks⌉ with %s, and says so",
    (_name, given, rate, reason) => {
      const decision = decideWhere({ model: given, scores, reviewerCommentRate: rate });
      // ⌈0.3 × 5⌉ = 2: the two highest scores
      expect(decision.speaks).toEqual([false, true, false, true, false]);
      expect(decision.rule).toBe("rate-budget");
      expect(decision.explanation).toMatch(/rate budget ⌈0\.3 × 5 hunks⌉ = 2/);
      expect(decision.explanation).toMatch(reason);
    },
  );

  it("with a balanced floor, speaks on the most likely hunk when none reaches the threshold", () => {
    const floored = model({ kind: "threshold", threshold: 0.95, note: "cv", minPerPull: 1 });
    const decision = decideWhere({ model: floored, scores, reviewerCommentRate: 0.01 });
    expect(decision.speaks).toEqual([false, false, false, true, false]);
    expect(decision.rule).toBe("threshold");
    expect(decision.explanation).toMatch(
      /0 of 5 hunks reach P\(comment\) ≥ 0\.950; speaks on the most likely hunk/,
    );
    // Enough hunks reach it: the floor adds nothing.
    const reached = decideWhere({
      model: model({ kind: "threshold", threshold: 0.7, note: "cv", minPerPull: 1 }),
      scores,
      reviewerCommentRate: 0.01,
    });
    expect(reached.speaks).toEqual([false, true, false, true, false]);
    expect(reached.explanation).not.toMatch(/most likely/);
    // Two hunks of floor, ties by hunk order; an empty pull request stays empty.
    const two = decideWhere({
      model: model({ kind: "threshold", threshold: 0.95, note: "cv", minPerPull: 2 }),
      scores: [0.4, 0.4, 0.4],
      reviewerCommentRate: 0.01,
    });
    expect(two.speaks).toEqual([true, true, false]);
    expect(decideWhere({ model: floored, scores: [], reviewerCommentRate: 0 }).speaks).toEqual([]);
  });

  it("without a floor (quiet), a pull request may get no comment", () => {
    const decision = decideWhere({
      model: model({ kind: "threshold", threshold: 0.95, note: "cv" }),
      scores,
      reviewerCommentRate: 0.01,
    });
    expect(decision.speaks.some(Boolean)).toBe(false);
  });

  it("breaks ties by hunk order", () => {
    const decision = decideWhere({
      model: undefined,
      scores: [0.4, 0.4, 0.4],
      reviewerCommentRate: 0.5,
    });
    expect(decision.speaks).toEqual([true, true, false]);
  });
});
