import { describe, expect, it } from "vitest";
import type { WhereRow } from "../../src/where/build-where-rows.js";
import { runWhereFolds } from "../../src/where/run-where-folds.js";
import { splitRollingFolds } from "../../src/where/split-rolling-folds.js";
import type { WhereModel } from "../../src/where/where-model.js";
import { makeWhereHistory } from "./support/make-where-history.js";

const history = makeWhereHistory({ pulls: 20, silentEvery: 5 });
const commented = history.pulls.filter((pull) =>
  pull.hunks.some((hunk) => hunk.commentTimes.length > 0),
);

/** A model that ranks by the first feature it is given; its figures do not matter here. */
const stubModel: WhereModel = {
  format: "tech-lead-bot/where-model",
  formatVersion: 1,
  featureSpec: "where-features/1 fnv1a-4096",
  mode: "balanced",
  intercept: -1,
  weights: { "shape:adds": 1 },
  calibration: { kind: "sigmoid", slope: 1, offset: 0 },
  decision: { kind: "threshold", threshold: 0.5, note: "stub" },
  cv: null,
  hyperParameters: {},
  topFeatures: [],
  trainedOn: { rows: 0, pulls: 0, positives: 0, commentedPulls: 0 },
};

describe("splitRollingFolds", () => {
  const folds = splitRollingFolds({ pulls: history.pulls, folds: 3 });

  it("holds out consecutive slices of the newer half of the commented pull requests", () => {
    expect(commented.length).toBeGreaterThanOrEqual(9);
    const newer = commented.slice(Math.ceil(commented.length / 2)).map((pull) => pull.number);
    expect(folds.flatMap((fold) => fold.heldOut.map((pull) => pull.number))).toEqual(newer);
    const sizes = folds.map((fold) => fold.heldOut.length);
    expect(sizes).toHaveLength(3);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("trains each fold on every pull request opened before its slice, commented or not", () => {
    for (const fold of folds) {
      const first = fold.heldOut[0];
      expect(fold.boundary).toBe(first?.createdAt);
      expect(fold.train.map((pull) => pull.number)).toEqual(
        history.pulls.filter((pull) => pull.createdAt < fold.boundary).map((pull) => pull.number),
      );
      expect(
        fold.train.some((pull) => pull.hunks.every((hunk) => hunk.commentTimes.length === 0)),
      ).toBe(true);
    }
  });

  it("refuses fewer than one fold", () => {
    expect(() => splitRollingFolds({ pulls: history.pulls, folds: 0 })).toThrow(/--folds/);
  });
});

describe("runWhereFolds", () => {
  it("gives the fit only the training rows: no held-out pull request, no label from after the boundary", async () => {
    const folds = splitRollingFolds({ pulls: history.pulls, folds: 3 });
    const seen: (readonly WhereRow[])[] = [];
    const { hunks, folds: reports } = await runWhereFolds({
      history,
      folds,
      fit: async (rows) => {
        seen.push(rows);
        return { model: stubModel, seconds: 0 };
      },
    });
    expect(seen).toHaveLength(3);
    folds.forEach((fold, index) => {
      const rows = seen[index] ?? [];
      const heldOut = new Set(fold.heldOut.map((pull) => pull.number));
      const later = new Set(
        history.pulls.filter((pull) => pull.createdAt >= fold.boundary).map((pull) => pull.number),
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((row) => heldOut.has(row.pull) || later.has(row.pull))).toEqual([]);
      expect(rows.every((row) => row.time < fold.boundary)).toBe(true);
    });
    // every hunk of every held-out pull request is scored, once
    const expected = folds.flatMap((fold) =>
      fold.heldOut.flatMap((pull) => pull.hunks.map(() => pull.number)),
    );
    expect(hunks.map((hunk) => hunk.pull)).toEqual(expected);
    expect(reports.map((report) => report.rule)).toEqual(["threshold", "threshold", "threshold"]);
  });
});
