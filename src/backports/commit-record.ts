import { z } from "zod";

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), {
  error: "must be an ISO 8601 date, e.g. 2024-05-01T12:00:00Z",
});

/**
 * One dev commit in a commits file (`npm run backports:export`, one JSON object per line) and
 * whether it reached the stable branch. Fields beyond the format are optional, so files
 * written by other tools in that format are read too; unknown fields are ignored.
 */
export const commitRecordSchema = z.object({
  repo: z.string().min(1),
  stable_branch: z.string().min(1),
  sha: z.string().regex(/^[0-9a-f]{7,64}$/, "must be a hex commit id"),
  author_date: isoDate,
  subject: z.string(),
  message: z.string(),
  files_changed: z.array(z.string()),
  insertions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  backported: z.boolean(),
  backport_sha: z.string().nullable(),
  days_to_backport: z.number().nullable(),
  /**
   * When the commit reached dev: the committer date of the merge that brought it in (of the
   * commit itself when made on dev). The time order uses it when present, else author_date.
   */
  landed_date: isoDate.optional(),
  /** When the stable branch forked from dev: the committer date of their merge base. */
  stable_branch_date: isoDate.optional(),
  /** How many files changed, when files_changed was cut short. */
  files_count: z.number().int().nonnegative().optional(),
  author_email: z.string().optional(),
  /** How the backport was found: "trailer" (cherry-pick -x or similar note) or "patch-id". */
  backport_via: z.enum(["trailer", "patch-id"]).nullable().optional(),
});
export type CommitRecord = z.infer<typeof commitRecordSchema>;

/** When the commit landed on dev: landed_date, else author_date. */
export function landedAt(record: CommitRecord): number {
  return Date.parse(record.landed_date ?? record.author_date);
}

/** When the backport landed on stable, if it did (landing + days_to_backport). */
export function backportedAt(record: CommitRecord): number | null {
  if (!record.backported) return null;
  return landedAt(record) + (record.days_to_backport ?? 0) * 86_400_000;
}

/** How many files the commit changed. */
export function filesCount(record: CommitRecord): number {
  return record.files_count ?? record.files_changed.length;
}

/**
 * When each record's stable branch forked: its stable_branch_date, else the earliest landing among
 * the records of that branch (the start of the exported range).
 */
export function findStableBranchDates(records: CommitRecord[]): Map<string, number> {
  const dates = new Map<string, number>();
  for (const record of records) {
    const forked = record.stable_branch_date
      ? Date.parse(record.stable_branch_date)
      : landedAt(record);
    const known = dates.get(record.stable_branch);
    if (known === undefined || forked < known) dates.set(record.stable_branch, forked);
  }
  return dates;
}

/** The record with how old its stable branch was when it landed, for the features. */
export function withStableAge<T extends CommitRecord>(
  record: T,
  branchDates: Map<string, number>,
): T & { stableAgeDays?: number } {
  const forked = branchDates.get(record.stable_branch);
  if (forked === undefined) return record;
  return { ...record, stableAgeDays: (landedAt(record) - forked) / 86_400_000 };
}
