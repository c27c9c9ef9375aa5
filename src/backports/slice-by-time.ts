import { type CommitRecord, landedAt } from "./commit-record.js";

/**
 * Sorts records by landing time (then sha, for a stable order) and cuts them into `count`
 * consecutive slices of (nearly) equal size. Commits landing at the same instant stay together.
 *
 * @throws Error when there are fewer records than slices.
 */
export function sliceByTime(records: CommitRecord[], count: number): CommitRecord[][] {
  if (records.length < count) {
    throw new Error(
      `${records.length} commits cannot be cut into ${count} slices: export a longer range`,
    );
  }
  const sorted = [...records].sort(
    (a, b) => landedAt(a) - landedAt(b) || a.sha.localeCompare(b.sha),
  );
  const slices: CommitRecord[][] = [];
  let start = 0;
  for (let index = 0; index < count; index += 1) {
    let end = Math.round(((index + 1) * sorted.length) / count);
    while (
      end < sorted.length &&
      end > start &&
      landedAt(sorted[end] as CommitRecord) === landedAt(sorted[end - 1] as CommitRecord)
    ) {
      end += 1;
    }
    slices.push(sorted.slice(start, end));
    start = end;
  }
  return slices.filter((slice) => slice.length > 0);
}
