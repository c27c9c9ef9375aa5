import { describe, expect, it } from "vitest";
import { applyWhereModel } from "../../src/where/apply-where-model.js";
import { buildWhereRows } from "../../src/where/build-where-rows.js";
import { decideWhere } from "../../src/where/decide-where.js";
import { fitWhereModel } from "../../src/where/fit-where-model.js";
import { splitRollingFolds } from "../../src/where/split-rolling-folds.js";
import { makeWhereHistory } from "./support/make-where-history.js";

// Runs the real `python3 -m trainer where fit` (scikit-learn), as the bot and bench:where do.
describe("the where-model file, applied by the bot", () => {
  it("gives the probabilities scikit-learn's fitted objects give, within 1e-9", async () => {
    const history = makeWhereHistory({ pulls: 40, silentEvery: 7 });
    const [, , fold] = splitRollingFolds({ pulls: history.pulls, folds: 3 });
    if (!fold) throw new Error("no third fold");
    const trainRows = buildWhereRows({ history, pulls: fold.train, labelsBefore: fold.boundary });
    const heldOutRows = buildWhereRows({ history, pulls: fold.heldOut });
    const { model, predictions } = await fitWhereModel({
      rows: trainRows,
      mode: "balanced",
      predictRows: heldOutRows,
    });
    expect(model.decision.kind).toBe("threshold");
    expect(model.cv?.folds).toBe(3);
    expect(Object.keys(model.weights).length).toBeGreaterThan(10);
    const ours = applyWhereModel(
      model,
      heldOutRows.map((row) => row.features),
    );
    expect(predictions).toHaveLength(ours.length);
    const largest = Math.max(
      ...ours.map((value, index) => Math.abs(value - (predictions?.[index] ?? Number.NaN))),
    );
    expect(largest).toBeLessThan(1e-9);
    // The toy reviewer comments on big core hunks: the model must rank those first.
    const commented = heldOutRows.flatMap((row, index) =>
      row.label === 1 ? [ours[index] ?? 0] : [],
    );
    const silent = heldOutRows.flatMap((row, index) => (row.label === 0 ? [ours[index] ?? 0] : []));
    expect(Math.min(...commented)).toBeGreaterThan(Math.max(...silent));
  }, 120_000);

  it("falls back to the rate budget with too little history, and says so", async () => {
    const history = makeWhereHistory({ pulls: 4 });
    const rows = buildWhereRows({ history, pulls: history.pulls });
    const { model } = await fitWhereModel({ rows, mode: "quiet" });
    expect(model.decision).toMatchObject({ kind: "rate-budget" });
    expect(model.cv).toBeNull();
    const decision = decideWhere({
      model,
      scores: applyWhereModel(
        model,
        rows.slice(0, 4).map((row) => row.features),
      ),
      reviewerCommentRate: 0.5,
    });
    expect(decision.rule).toBe("rate-budget");
    expect(decision.explanation).toMatch(
      /too little history to choose a threshold: \d commented pull requests \(needs 6\)/,
    );
    const rate = rows.filter((row) => row.label === 1).length / rows.length;
    expect(decision.speaks.filter(Boolean)).toHaveLength(Math.ceil(rate * 4));
  }, 120_000);

  it("says what is wrong with rows the fit refuses", async () => {
    const history = makeWhereHistory({ pulls: 3 });
    const rows = buildWhereRows({ history, pulls: history.pulls }).map((row, index) =>
      index === 1 ? { ...row, spec: "where-features/0" } : row,
    );
    await expect(fitWhereModel({ rows, mode: "balanced" })).rejects.toThrow(
      /rows mix feature specs/,
    );
  }, 120_000);
});
