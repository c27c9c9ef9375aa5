/** Everything the status comment reports about a finished review. */
export interface ReviewCounts {
  hunksRead: number;
  alreadyReviewed: number;
  overHunkLimit: number;
  commentsPosted: number;
  fileLevelComments: number;
  /** Files left out, by reason ("binary", "deleted", …). */
  skippedFiles: Record<string, number>;
  /** Hunks whose model call failed, by reason ("LLM timeout", …). */
  failedHunks: Record<string, number>;
  belowRate: number;
  overReviewCap: number;
  maxComments: number;
  /** Comments dropped for another reason, by reason. */
  droppedComments: Record<string, number>;
  /** How the review decided where to speak (absent in counts of runs that read nothing). */
  where?: WhereCounts;
}

/** Where the persona speaks: the where-model's choice, or the rate budget and why. */
export type WhereCounts =
  | {
      rule: "where-model";
      mode: "balanced" | "quiet";
      /** Hunks the where-model scored (every hunk read). */
      hunksScored: number;
      /** Hunks it selected: where the persona would comment. */
      wouldComment: number;
      /** Hunks sent to the LLM: the selected ones plus a margin. */
      askedModel: number;
    }
  | { rule: "rate-budget"; reason: string };

/** One line saying where the persona spoke and how that was decided. */
export function describeWhere(where: WhereCounts): string {
  if (where.rule === "rate-budget") {
    return `where: the reviewer's usual comment rate decided (${where.reason}); the model read every hunk`;
  }
  return `where: the where-model (${where.mode}) read ${where.hunksScored} ${hunks(where.hunksScored)} and would comment on ${where.wouldComment}; the model was asked on ${where.askedModel} (those plus a margin)`;
}

/** Counts of a run that read no hunk (everything was already reviewed). */
export function countsWithoutReading(
  alreadyReviewed: number,
  skippedFiles: Record<string, number>,
): ReviewCounts {
  return {
    hunksRead: 0,
    alreadyReviewed,
    overHunkLimit: 0,
    commentsPosted: 0,
    fileLevelComments: 0,
    skippedFiles,
    failedHunks: {},
    belowRate: 0,
    overReviewCap: 0,
    maxComments: 0,
    droppedComments: {},
  };
}

/** One state of the status comment, as the run's StatusReporter shows it. */
export interface StatusUpdate {
  headline: string;
  details?: string[];
}

/** The progress line shown while hunks are being read. */
export function formatReviewProgress(params: { done: number; total: number }): StatusUpdate {
  return { headline: `⏳ Reviewing: ${params.done}/${params.total} hunks read…` };
}

/** The status while the words of the chosen comments are sampled (LLM_COMMENT_SAMPLES). */
export function formatWordingProgress(params: { comments: number; samples: number }): StatusUpdate {
  return {
    headline: `⏳ Reviewing: every hunk read; choosing the words of ${params.comments} comment${params.comments === 1 ? "" : "s"} (${params.samples} samples each)…`,
  };
}

/** The status after a review was posted: a link, the counts and the time taken. */
export function formatReviewDone(params: {
  reviewUrl: string;
  counts: ReviewCounts;
  durationMs: number;
  /** The persona's feedback figures (src/fates/format-feedback-footer.ts). */
  footer?: string;
}): StatusUpdate {
  const { counts } = params;
  const skipped = [
    ...Object.entries(counts.skippedFiles).map(([reason, n]) => `${n} ${files(n)} ${reason}`),
    counts.alreadyReviewed > 0
      ? `${counts.alreadyReviewed} ${hunks(counts.alreadyReviewed)} already reviewed earlier`
      : "",
    counts.overHunkLimit > 0
      ? `${counts.overHunkLimit} ${hunks(counts.overHunkLimit)} over the hunk limit (next run reads them)`
      : "",
    ...Object.entries(counts.failedHunks).map(
      ([reason, n]) => `${n} ${hunks(n)} failed (${reason}; comment again to retry them)`,
    ),
    counts.belowRate > 0
      ? `${counts.belowRate} less likely ${comments(counts.belowRate)} beyond ${counts.where?.rule === "where-model" ? "the where-model's selection" : "the reviewer's usual rate"}`
      : "",
    counts.overReviewCap > 0
      ? `${counts.overReviewCap} ${comments(counts.overReviewCap)} over the ${counts.maxComments}-comment cap`
      : "",
    ...Object.entries(counts.droppedComments).map(
      ([reason, n]) => `${n} ${comments(n)} dropped (${reason})`,
    ),
  ].filter(Boolean);
  const fileLevel =
    counts.fileLevelComments > 0
      ? ` (${counts.fileLevelComments} as file-level comments: GitHub refused their lines)`
      : "";
  return {
    headline: `✅ [Review posted](${params.reviewUrl}).`,
    details: [
      `hunks read: ${counts.hunksRead}`,
      ...(counts.where ? [describeWhere(counts.where)] : []),
      `comments posted: ${counts.commentsPosted}${fileLevel}`,
      `skipped: ${skipped.length > 0 ? skipped.join("; ") : "nothing"}`,
      `took ${formatDuration(params.durationMs)}`,
      ...(params.footer ? [params.footer] : []),
    ],
  };
}

/** The status when every hunk on this commit was already reviewed by the same model. */
export function formatNothingNew(params: {
  headSha: string;
  alreadyReviewed: number;
  durationMs: number;
}): StatusUpdate {
  return {
    headline: `✅ Nothing new to review: the ${params.alreadyReviewed} ${hunks(params.alreadyReviewed)} on ${params.headSha.slice(0, 7)} were already reviewed with this model.`,
    details: [
      "Push new commits and comment again to review them.",
      `took ${formatDuration(params.durationMs)}`,
    ],
  };
}

/**
 * The status when the diff holds no hunk to read at all (not "already reviewed"): empty, or every
 * file binary, renamed, re-moded, deleted or ignored. Says which, so nobody waits for a review.
 */
export function formatNothingToRead(params: {
  headSha: string;
  skippedFiles: Record<string, number>;
  durationMs: number;
}): StatusUpdate {
  const commit = params.headSha.slice(0, 7);
  const reasons = Object.entries(params.skippedFiles).map(
    ([reason, n]) =>
      `${n} ${files(n)} ${reason === "no text change" ? "with no text change (renamed, or only its mode changed)" : reason}`,
  );
  return {
    headline:
      reasons.length === 0
        ? `✅ Nothing to review: the diff of ${commit} has no changed files.`
        : `✅ Nothing to review on ${commit}: no file has changed lines to read (${reasons.join("; ")}).`,
    details: [
      "Push changes to text files and comment again to review them.",
      `took ${formatDuration(params.durationMs)}`,
    ],
  };
}

/**
 * The status when the review stops on an error: what stopped it and what to do about it. Not
 * final-sounding (no ❌): the worker decides next whether the run retries (⚠️ retrying) or ends
 * (❌), and says so in the same comment.
 */
export function formatReviewFailed(params: { error: unknown }): StatusUpdate {
  const message = params.error instanceof Error ? params.error.message : String(params.error);
  return { headline: `⚠️ The review stopped: ${message}` };
}

function formatDuration(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

const files = (n: number) => (n === 1 ? "file" : "files");
const hunks = (n: number) => (n === 1 ? "hunk" : "hunks");
const comments = (n: number) => (n === 1 ? "comment" : "comments");
