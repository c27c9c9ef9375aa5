import type { WhereFeatures } from "./compute-where-features.js";
import type { WhereModel } from "./where-model.js";

/** The regression's decision value: intercept + Σ weight × value over the features it knows. */
export function decisionValue(model: WhereModel, features: WhereFeatures): number {
  let sum = model.intercept;
  for (const [name, value] of Object.entries(features)) {
    const weight = model.weights[name];
    if (weight !== undefined) sum += weight * value;
  }
  return sum;
}

/**
 * Calibrated P(the reviewer comments on this hunk) for each feature vector, as the fitted
 * scikit-learn objects give it (test/where checks equality within 1e-9). Pure.
 */
export function applyWhereModel(model: WhereModel, rows: readonly WhereFeatures[]): number[] {
  const { slope, offset } = model.calibration;
  return rows.map((features) => {
    const logit = slope * decisionValue(model, features) + offset;
    return 1 / (1 + Math.exp(-logit));
  });
}
