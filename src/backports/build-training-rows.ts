import {
  backportedAt,
  type CommitRecord,
  findStableBranchDates,
  landedAt,
  withStableAge,
} from "./commit-record.js";
import { extractCommitFeatures } from "./extract-commit-features.js";
import type { FeatureRow } from "./fit-verdict-model.js";
import { hashFeatures } from "./hash-features.js";

/** Days after landing beyond which a backport counts as "wait" (after observation) rather than "yes". */
export const DEFAULT_WAIT_DAYS = 14;

/**
 * The training rows a maintainer's past offers at `cutoffMs`: every commit that landed before it,
 * labelled backported only if its backport had landed by then too (a later backport is not yet
 * known), and "wait" when that took more than `waitDays`.
 */
export function buildTrainingRows(params: {
  records: CommitRecord[];
  cutoffMs: number;
  waitDays?: number;
}): FeatureRow[] {
  const waitDays = params.waitDays ?? DEFAULT_WAIT_DAYS;
  const rows: FeatureRow[] = [];
  const horizon = undecidedHorizonMs(params.records, params.cutoffMs);
  const branchDates = findStableBranchDates(params.records);
  for (const record of params.records) {
    const landed = landedAt(record);
    if (!(landed < params.cutoffMs)) continue;
    const backported = backportedAt(record);
    const known = backported !== null && backported <= params.cutoffMs;
    if (!known && params.cutoffMs - landed < horizon) continue;
    rows.push({
      id: record.sha,
      t: landed,
      x: hashFeatures(extractCommitFeatures(withStableAge(record, branchDates))),
      y: known ? 1 : 0,
      wait: known ? ((record.days_to_backport ?? 0) > waitDays ? 1 : 0) : null,
    });
  }
  return rows;
}

/** Whether rows hold enough of both answers to learn from (the learner's own minimum). */
export function hasEnoughHistory(rows: FeatureRow[], minimumPerClass = 5): boolean {
  const positives = rows.filter((row) => row.y === 1).length;
  return positives >= minimumPerClass && rows.length - positives >= minimumPerClass;
}

/**
 * How long after landing a commit not yet backported still counts as undecided at `cutoffMs`: the
 * median delay of the backports known by then. Younger commits are left out of training rather
 * than taught as "no".
 */
export function undecidedHorizonMs(records: CommitRecord[], cutoffMs: number): number {
  const delays = records
    .filter((record) => {
      const backported = backportedAt(record);
      return backported !== null && backported <= cutoffMs;
    })
    .map((record) => (record.days_to_backport ?? 0) * 86_400_000)
    .sort((a, b) => a - b);
  return delays.length === 0 ? 0 : (delays[Math.floor(delays.length / 2)] as number);
}
