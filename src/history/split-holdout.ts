import type { ReviewedPull } from "./history-records.js";

/**
 * Chooses the time-ordered holdout: the newest pull requests (by creation time) whose kept
 * comments make up at least `fraction` of all kept comments. It splits by pull request, not by
 * comment, so no hunk of a held-out pull request is trained on; at least one commented pull
 * request always stays in training. Returns the creation time from which pull requests are held
 * out, or `undefined` for no holdout.
 */
export function chooseHoldoutCutoff(params: {
  pulls: ReviewedPull[];
  commentsPerPull: Map<number, number>;
  fraction: number;
}): string | undefined {
  const total = [...params.commentsPerPull.values()].reduce((sum, count) => sum + count, 0);
  const wanted = Math.ceil(total * params.fraction);
  if (wanted === 0) return undefined;
  const commented = params.pulls
    .filter((pull) => (params.commentsPerPull.get(pull.number) ?? 0) > 0)
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  let heldOut = 0;
  for (const [index, pull] of commented.entries()) {
    if (index === commented.length - 1) return undefined;
    heldOut += params.commentsPerPull.get(pull.number) ?? 0;
    if (heldOut >= wanted) return pull.createdAt;
  }
  return undefined;
}

/** True when a pull request belongs to the holdout chosen by {@link chooseHoldoutCutoff}. */
export function isHeldOut(
  pull: Pick<ReviewedPull, "createdAt">,
  cutoff: string | undefined,
): boolean {
  return cutoff !== undefined && pull.createdAt >= cutoff;
}

/**
 * The pull requests to fetch negatives from: the newest ones, the budget shared between holdout
 * and training in proportion to `fraction` so both keep a similar comment/no-comment mix.
 */
export function chooseNegativePulls(params: {
  pulls: ReviewedPull[];
  cutoff: string | undefined;
  maxPulls: number;
  fraction: number;
}): number[] {
  const newestFirst = [...params.pulls].sort((left, right) =>
    right.createdAt.localeCompare(left.createdAt),
  );
  const heldOut = newestFirst.filter((pull) => isHeldOut(pull, params.cutoff));
  const training = newestFirst.filter((pull) => !isHeldOut(pull, params.cutoff));
  const holdoutBudget = Math.min(
    heldOut.length,
    params.maxPulls === 0 || heldOut.length === 0
      ? 0
      : Math.max(1, Math.round(params.maxPulls * params.fraction)),
  );
  const trainingBudget = Math.min(training.length, params.maxPulls - holdoutBudget);
  return [...heldOut.slice(0, holdoutBudget), ...training.slice(0, trainingBudget)].map(
    (pull) => pull.number,
  );
}

/**
 * The pull requests whose every hunk the where-model learns from: the newest `maxPulls` the
 * reviewer took part in (src/where leaves out the reviewer's own).
 */
export function chooseWherePulls(params: { pulls: ReviewedPull[]; maxPulls: number }): number[] {
  return [...params.pulls]
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt))
    .slice(0, params.maxPulls)
    .map((pull) => pull.number);
}
