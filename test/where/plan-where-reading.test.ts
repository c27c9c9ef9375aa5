import { describe, expect, it } from "vitest";
import { WHERE_FEATURE_SPEC } from "../../src/where/compute-where-features.js";
import { planWhereReading } from "../../src/where/plan-where-reading.js";
import { summariseReviewerHistory } from "../../src/where/summarise-reviewer-history.js";
import type { WhereModel } from "../../src/where/where-model.js";
import { makeHunk } from "./support/make-where-history.js";

const summary = summariseReviewerHistory({
  history: { pulls: [], comments: [] },
  before: "2024-01-01",
});
const model: WhereModel = {
  format: "tech-lead-bot/where-model",
  formatVersion: 1,
  featureSpec: WHERE_FEATURE_SPEC,
  mode: "balanced",
  intercept: -4,
  weights: { "shape:adds": 2.5 },
  calibration: { kind: "sigmoid", slope: 1, offset: 0 },
  decision: { kind: "threshold", threshold: 0.5, note: "cv" },
  decisions: {
    balanced: { kind: "threshold", threshold: 0.5, note: "cv" },
    quiet: {
      kind: "rate-budget",
      rate: 0.1,
      reason: "too little history to choose a threshold: 2 commented pull requests",
    },
  },
  cv: null,
  hyperParameters: {},
  topFeatures: [],
  trainedOn: { rows: 1, pulls: 1, positives: 1, commentedPulls: 1 },
  summary,
};
// adds: 1, 9, 2, 12, 5, 0(+1 del), 7 → P ≥ 0.5 for adds ≥ 4: indices 3, 1, 6, 4 by rank
const hunks = [1, 9, 2, 12, 5, 0, 7].map((adds, index) =>
  makeHunk({ path: `src/f${index}.c`, adds, dels: adds === 0 ? 1 : 0 }),
);

describe("planWhereReading", () => {
  it("asks the LLM about the selected hunks, most likely first, then a margin of a quarter (at least one)", () => {
    const plan = planWhereReading({ hunks, model, mode: "balanced", maxComments: 30 });
    if (plan.kind !== "where-model") throw new Error(plan.reason);
    expect(plan.speaks).toEqual([false, true, false, true, true, false, true]);
    expect(plan.target).toBe(4);
    expect(plan.ask).toEqual([3, 1, 6, 4, 2]);
  });

  it("keeps at most maxComments selected hunks, the most likely ones", () => {
    const plan = planWhereReading({ hunks, model, mode: "balanced", maxComments: 2 });
    if (plan.kind !== "where-model") throw new Error(plan.reason);
    expect(plan.target).toBe(2);
    expect(plan.ask).toEqual([3, 1, 6]);
  });

  it("asks nothing when the model selects nothing", () => {
    const plan = planWhereReading({
      hunks: hunks.slice(0, 1),
      model,
      mode: "balanced",
      maxComments: 30,
    });
    expect(plan).toMatchObject({ kind: "where-model", target: 0, ask: [] });
  });

  it.each([
    ["no model", undefined, "balanced", /no where-model for this reviewer yet/],
    ["a mode the model could not fit a threshold for", model, "quiet", /too little history/],
    [
      "a model without a history summary",
      { ...model, summary: undefined },
      "balanced",
      /no history summary/,
    ],
    [
      "another feature spec",
      { ...model, featureSpec: "where-features/0" },
      "balanced",
      /retrain the reviewer/,
    ],
  ] as const)("falls back to the rate budget with %s", (_name, given, mode, reason) => {
    const plan = planWhereReading({ hunks, model: given, mode, maxComments: 30 });
    expect(plan.kind).toBe("rate-budget");
    if (plan.kind === "rate-budget") expect(plan.reason).toMatch(reason);
  });
});
