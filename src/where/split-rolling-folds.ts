import type { WherePull } from "./where-history.js";

/** One time-ordered fold: train on what came before, score the next slice. */
export interface RollingFold {
  index: number;
  /** Creation time of the slice's first pull request: training is everything opened before it. */
  boundary: string;
  /** Every pull request (commented or not) opened before `boundary`. */
  train: WherePull[];
  /** The slice: pull requests the reviewer commented in, scored on all their hunks. */
  heldOut: WherePull[];
}

/**
 * Rolling, time-ordered folds over the reviewer's commented pull requests (fixed in advance, for
 * every repository): the older half is only ever trained on, the newer half is cut into `folds`
 * consecutive slices. Fold k holds out slice k and trains on every pull request opened before
 * its first one; labels of training pull requests count only comments made before that moment
 * (see buildWhereRows' `labelsBefore`). Pure.
 */
export function splitRollingFolds(params: {
  pulls: readonly WherePull[];
  folds: number;
}): RollingFold[] {
  if (!Number.isInteger(params.folds) || params.folds < 1) {
    throw new Error(`--folds must be a whole number ≥ 1, got ${params.folds}`);
  }
  const ordered = [...params.pulls].sort(
    (left, right) => left.createdAt.localeCompare(right.createdAt) || left.number - right.number,
  );
  const commented = ordered.filter((pull) =>
    pull.hunks.some((hunk) => hunk.commentTimes.length > 0),
  );
  const newer = commented.slice(Math.ceil(commented.length / 2));
  const result: RollingFold[] = [];
  for (let index = 0; index < params.folds; index += 1) {
    const from = Math.floor((index * newer.length) / params.folds);
    const to = Math.floor(((index + 1) * newer.length) / params.folds);
    const heldOut = newer.slice(from, to);
    const first = heldOut[0];
    if (!first) continue;
    const boundary = first.createdAt;
    result.push({
      index: result.length,
      boundary,
      train: ordered.filter((pull) => pull.createdAt < boundary),
      heldOut,
    });
  }
  return result;
}
