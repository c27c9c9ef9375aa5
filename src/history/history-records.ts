import { z } from "zod";

/** Names what one collection is about; keys in Redis and file names derive from it. */
export type HistorySubject = { owner: string; repo: string; reviewerLogin: string };

/** A pull request the reviewer reviewed, as stored while collecting. */
export const reviewedPullSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  createdAt: z.string(),
  authorLogin: z.string().nullable(),
});
export type ReviewedPull = z.infer<typeof reviewedPullSchema>;

/**
 * A review comment's text and where GitHub placed it, under GitHub's GraphQL names: kept as
 * GitHub sends them, so the GraphQL node and the stored record share these fields.
 */
export const commentPlacementSchema = z.object({
  body: z.string(),
  diffHunk: z.string(),
  path: z.string(),
  line: z.number().int().nullable(),
  originalLine: z.number().int().nullable(),
  startLine: z.number().int().nullable(),
  originalStartLine: z.number().int().nullable(),
});

/** A review comment by the reviewer, as collected (before cleaning), side inferred from its hunk. */
export const rawReviewCommentSchema = z.object({
  id: z.string(),
  databaseId: z.number().int().nullable(),
  pullNumber: z.number().int(),
  ...commentPlacementSchema.shape,
  side: z.enum(["LEFT", "RIGHT"]),
  createdAt: z.string(),
  commitOid: z.string().nullable(),
  originalCommitOid: z.string().nullable(),
  outdated: z.boolean(),
  replyToId: z.string().nullable(),
  authorLogin: z.string().nullable(),
  authorIsBot: z.boolean(),
});
export type RawReviewComment = z.infer<typeof rawReviewCommentSchema>;

/** Uncommented hunks of one pull request ("the reviewer let these pass"), from its file patches. */
export const negativeHunksSchema = z.object({
  pullNumber: z.number().int(),
  /** Hunks in the PR's patches, and how many of them the reviewer commented on. */
  totalHunks: z.number().int(),
  commentedHunks: z.number().int(),
  hunks: z.array(z.object({ path: z.string(), patch: z.string() })),
  /** The whole hunks the reviewer's comments in this PR were cut from, where still in the diff. */
  fullHunks: z.array(z.object({ commentId: z.string(), patch: z.string() })),
});
export type NegativeHunks = z.infer<typeof negativeHunksSchema>;

/** A pull request's files as `GET /pulls/{n}/files` lists them (first 100; no patch for binary or huge files). */
export const pullFilesSchema = z.object({
  pullNumber: z.number().int(),
  files: z.array(
    z.object({
      filename: z.string(),
      status: z.string(),
      previous_filename: z.string().optional(),
      patch: z.string().optional(),
    }),
  ),
});
export type PullFiles = z.infer<typeof pullFilesSchema>;
