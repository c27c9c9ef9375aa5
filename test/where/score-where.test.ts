import { describe, expect, it } from "vitest";
import {
  averagePrecision,
  bootstrapInterval,
  classificationFigures,
} from "../../src/where/score-where.js";

describe("where scores", () => {
  it.each([
    // reference values from scikit-learn 1.9 average_precision_score
    [[1, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.2, 0.1], 0.8333333333333333],
    [[0, 1, 1, 0], [0.5, 0.5, 0.5, 0.1], 0.6666666666666666],
    [[1, 0, 0, 1, 1, 0], [3, 3, 1, 8, 0, 2], 0.7222222222222222],
    [[0, 0, 1], [1, 1, 1], 0.3333333333333333],
  ] as const)("average precision of %j by %j is %f", (labels, scores, expected) => {
    const items = labels.map((label, index) => ({ label, score: scores[index] ?? 0 }));
    expect(averagePrecision(items)).toBeCloseTo(expected, 12);
  });

  it("precision, recall and F1 of yes/no predictions", () => {
    const figures = classificationFigures([
      { label: 1, predicted: true },
      { label: 1, predicted: false },
      { label: 0, predicted: true },
      { label: 0, predicted: false },
      { label: 1, predicted: true },
    ]);
    expect(figures).toMatchObject({ precision: 2 / 3, recall: 2 / 3, predicted: 3, positives: 3 });
    expect(figures.f1).toBeCloseTo(2 / 3, 12);
    expect(classificationFigures([{ label: 1, predicted: false }]).f1).toBe(0);
  });

  it("bootstraps over groups, the same interval on every run", () => {
    const groups = [[1], [0], [1], [1], [0], [0], [1], [0]];
    const mean = (items: readonly number[]) =>
      items.reduce((sum, value) => sum + value, 0) / items.length;
    const first = bootstrapInterval({ groups, statistic: mean, resamples: 500, seed: 7 });
    expect(bootstrapInterval({ groups, statistic: mean, resamples: 500, seed: 7 })).toEqual(first);
    expect(first[0]).toBeLessThan(0.5);
    expect(first[1]).toBeGreaterThan(0.5);
    expect(first[0]).toBeGreaterThanOrEqual(0);
  });
});
