import { neutraliseMentions } from "./sanitise-comment.js";

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
}

/** The progress line shown while hunks are being read. */
export function formatReviewProgress(params: {
  reviewerLogin: string;
  done: number;
  total: number;
}): string {
  return `⏳ Reviewing in the style of ${who(params.reviewerLogin)}: ${params.done}/${params.total} hunks read…`;
}

/** The status after a review was posted: a link, the counts and the time taken. */
export function formatReviewDone(params: {
  reviewerLogin: string;
  reviewUrl: string;
  counts: ReviewCounts;
  durationMs: number;
}): string {
  const { counts } = params;
  const skipped = [
    ...Object.entries(counts.skippedFiles).map(([reason, n]) => `${n} ${files(n)} ${reason}`),
    counts.alreadyReviewed > 0
      ? `${counts.alreadyReviewed} ${hunks(counts.alreadyReviewed)} already reviewed`
      : "",
    counts.overHunkLimit > 0
      ? `${counts.overHunkLimit} ${hunks(counts.overHunkLimit)} over the hunk limit`
      : "",
    ...Object.entries(counts.failedHunks).map(
      ([reason, n]) => `${n} ${hunks(n)} failed (${reason})`,
    ),
    counts.belowRate > 0
      ? `${counts.belowRate} less likely ${comments(counts.belowRate)} beyond the reviewer's usual rate`
      : "",
    counts.overReviewCap > 0
      ? `${counts.overReviewCap} ${comments(counts.overReviewCap)} over the ${counts.maxComments}-comment cap`
      : "",
    ...Object.entries(counts.droppedComments).map(
      ([reason, n]) => `${n} ${comments(n)} dropped (${reason})`,
    ),
  ].filter(Boolean);
  return [
    `✅ [Predicted review in the style of ${who(params.reviewerLogin)}](${params.reviewUrl}) posted.`,
    `- hunks read: ${counts.hunksRead}`,
    `- comments posted: ${counts.commentsPosted}${counts.fileLevelComments > 0 ? ` (${counts.fileLevelComments} as file-level comments: GitHub refused their lines)` : ""}`,
    `- skipped: ${skipped.length > 0 ? skipped.join("; ") : "nothing"}`,
    `- took ${formatDuration(params.durationMs)}`,
  ].join("\n");
}

/** The status when every hunk on this commit was already reviewed by the same model. */
export function formatNothingNew(params: {
  reviewerLogin: string;
  headSha: string;
  alreadyReviewed: number;
  durationMs: number;
}): string {
  return `✅ Nothing new to review in the style of ${who(params.reviewerLogin)}: the ${params.alreadyReviewed} ${hunks(params.alreadyReviewed)} on ${params.headSha.slice(0, 7)} were already reviewed (took ${formatDuration(params.durationMs)}). Push new commits for more.`;
}

/** The status after a failure: what failed and what to do about it. */
export function formatReviewFailed(params: { reviewerLogin: string; error: unknown }): string {
  const message = params.error instanceof Error ? params.error.message : String(params.error);
  return `❌ The review in the style of ${who(params.reviewerLogin)} failed: ${message}`;
}

function who(login: string): string {
  return neutraliseMentions(`@${login}`);
}

function formatDuration(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

const files = (n: number) => (n === 1 ? "file" : "files");
const hunks = (n: number) => (n === 1 ? "hunk" : "hunks");
const comments = (n: number) => (n === 1 ? "comment" : "comments");
