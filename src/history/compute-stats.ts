import { z } from "zod";
import type { CleanComment, DropReason } from "./clean-comments.js";
import type { NegativeHunks } from "./history-records.js";

/** What stays after the scraped data is deleted: the shape of a reviewer's history. */
export const historyStatsSchema = z.object({
  repo: z.string(),
  reviewerLogin: z.string(),
  collectedAt: z.string(),
  rawComments: z.number().int(),
  comments: z.number().int(),
  dropped: z.record(z.string(), z.number().int()),
  pulls: z.number().int(),
  pullsWithComments: z.number().int(),
  negatives: z.number().int(),
  /** Comments shown with their whole hunk (from the PR's files) rather than GitHub's cut one. */
  commentsWithFullHunk: z.number().int(),
  trainExamples: z.number().int(),
  holdoutExamples: z.number().int(),
  /**
   * Creation time from which pull requests are held out (chooseHoldoutCutoff); null: no
   * holdout. Absent in histories collected before it was recorded.
   */
  holdoutFrom: z.string().nullable().optional(),
  /** Examples added from what people did with the persona's comments (src/feedback). */
  feedbackSignal: z
    .object({ version: z.number().int(), positives: z.number().int(), negatives: z.number().int() })
    .optional(),
  /** Commented hunks / all hunks, over the pull requests whose files were fetched; null if none. */
  commentRatePerHunk: z.number().nullable(),
  medianCommentChars: z.number().nullable(),
  medianTargetChars: z.number().nullable(),
  dateRange: z.object({ from: z.string(), to: z.string() }).nullable(),
  requests: z.object({ graphql: z.number().int(), rest: z.number().int() }),
});
export type HistoryStats = z.infer<typeof historyStatsSchema>;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/** Summarises a collected history (pure; no scraped text ends up in the result). */
export function computeStats(params: {
  repo: string;
  reviewerLogin: string;
  collectedAt: string;
  rawComments: number;
  pulls: number;
  comments: CleanComment[];
  dropped: Record<DropReason, number>;
  negatives: NegativeHunks[];
  commentsWithFullHunk: number;
  trainExamples: number;
  holdoutExamples: number;
  holdoutFrom?: string | undefined;
  requests: { graphql: number; rest: number };
}): HistoryStats {
  const { comments, negatives } = params;
  const totalHunks = negatives.reduce((sum, entry) => sum + entry.totalHunks, 0);
  const commentedHunks = negatives.reduce((sum, entry) => sum + entry.commentedHunks, 0);
  const times = comments.map((comment) => comment.createdAt).sort();
  const from = times[0];
  const to = times.at(-1);
  return {
    repo: params.repo,
    reviewerLogin: params.reviewerLogin,
    collectedAt: params.collectedAt,
    rawComments: params.rawComments,
    comments: comments.length,
    dropped: params.dropped,
    pulls: params.pulls,
    pullsWithComments: new Set(comments.map((comment) => comment.pullNumber)).size,
    negatives: negatives.reduce((sum, entry) => sum + entry.hunks.length, 0),
    commentsWithFullHunk: params.commentsWithFullHunk,
    trainExamples: params.trainExamples,
    holdoutExamples: params.holdoutExamples,
    holdoutFrom: params.holdoutFrom ?? null,
    commentRatePerHunk: totalHunks > 0 ? commentedHunks / totalHunks : null,
    medianCommentChars: median(comments.map((comment) => comment.text.length)),
    medianTargetChars: median(comments.map((comment) => comment.target.length)),
    dateRange: from && to ? { from, to } : null,
    requests: params.requests,
  };
}
