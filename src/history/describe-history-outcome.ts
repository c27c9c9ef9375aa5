import type { HistoryResult } from "./store-history.js";

/**
 * The status-comment line for a finished collection. The login is in backticks, never
 * `@login`, so the status comment does not notify the reviewer.
 */
export function describeHistoryOutcome(result: HistoryResult): string {
  const { stats } = result;
  const who = `\`${stats.reviewerLogin}\``;
  const range = stats.dateRange
    ? ` (${stats.dateRange.from.slice(0, 10)} – ${stats.dateRange.to.slice(0, 10)})`
    : "";
  if (!result.trainable) {
    return `Only ${stats.comments} usable review comments by ${who} in ${stats.repo}${range}; training needs at least ${result.minimumComments}, so this review uses few-shot examples from them instead.`;
  }
  return `Collected ${stats.comments} review comments by ${who} on ${stats.pullsWithComments} pull requests${range}, plus ${stats.negatives} hunks they let pass.`;
}

/** The progress line while collecting, e.g. "Collecting history: 120 PRs, 480 comments so far". */
export function describeHistoryProgress(progress: {
  phase: "comments" | "negatives";
  prs: number;
  comments: number;
}): string {
  return progress.phase === "comments"
    ? `Collecting review history: ${progress.prs} pull requests, ${progress.comments} comments so far…`
    : `Collecting hunks left without comment: ${progress.prs} pull requests so far (${progress.comments} usable comments)…`;
}

/**
 * The status line when a reviewer left no usable review comment in the repository: they never
 * reviewed here, only wrote replies or "LGTM"s, or no such GitHub user exists.
 */
export function describeNoHistory(result: HistoryResult): string {
  const { stats } = result;
  const dropped =
    stats.rawComments > 0
      ? ` (their ${stats.rawComments} review comments were all replies, bot text or content-free)`
      : "";
  return `🤷 \`${stats.reviewerLogin}\` has no review comments in ${stats.repo}${dropped}, so there is no style to learn and no review was made. Either they never reviewed pull requests here, or no GitHub user has that login.`;
}
