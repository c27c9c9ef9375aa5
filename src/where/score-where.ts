/**
 * The hunk-size rule every where-model is compared with: comment where a hunk adds more lines
 * than this (fixed in advance, for every repository).
 */
export const SIZE_RULE_ADDED_LINES = 3;

/** Precision, recall and F1 of yes/no predictions against labels (0 when nothing is predicted). */
export function classificationFigures(items: readonly { label: 0 | 1; predicted: boolean }[]): {
  precision: number;
  recall: number;
  f1: number;
  predicted: number;
  positives: number;
} {
  let truePositives = 0;
  let predicted = 0;
  let positives = 0;
  for (const item of items) {
    if (item.predicted) predicted += 1;
    if (item.label === 1) positives += 1;
    if (item.predicted && item.label === 1) truePositives += 1;
  }
  const precision = predicted > 0 ? truePositives / predicted : 0;
  const recall = positives > 0 ? truePositives / positives : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, predicted, positives };
}

/**
 * Area under the precision-recall curve as average precision, computed as scikit-learn's
 * `average_precision_score` does: Σ (Rₙ − Rₙ₋₁) Pₙ over distinct score thresholds, highest
 * first (tied scores enter together). 0 when there is no positive.
 */
export function averagePrecision(items: readonly { label: 0 | 1; score: number }[]): number {
  const positives = items.filter((item) => item.label === 1).length;
  if (positives === 0) return 0;
  const sorted = [...items].sort((left, right) => right.score - left.score);
  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let area = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    const item = sorted[index];
    if (!item) continue;
    seen += 1;
    if (item.label === 1) truePositives += 1;
    const next = sorted[index + 1];
    if (next && next.score === item.score) continue;
    const recall = truePositives / positives;
    area += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
  }
  return area;
}

/** A small seeded generator (mulberry32), so intervals are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Percentile bootstrap 95% interval of `statistic` over groups (pull requests): each resample
 * draws as many groups as there are, with replacement, and pools their items.
 */
export function bootstrapInterval<Item>(params: {
  groups: readonly (readonly Item[])[];
  statistic: (items: readonly Item[]) => number;
  resamples?: number;
  seed?: number;
}): [number, number] {
  const { groups } = params;
  const resamples = params.resamples ?? 1000;
  if (groups.length === 0) return [0, 0];
  const random = seededRandom(params.seed ?? 1);
  const values: number[] = [];
  for (let round = 0; round < resamples; round += 1) {
    const items: Item[] = [];
    for (let draw = 0; draw < groups.length; draw += 1) {
      items.push(...(groups[Math.floor(random() * groups.length)] ?? []));
    }
    values.push(params.statistic(items));
  }
  values.sort((left, right) => left - right);
  const at = (share: number) =>
    values[Math.min(values.length - 1, Math.floor(share * values.length))] ?? 0;
  return [at(0.025), at(0.975)];
}
