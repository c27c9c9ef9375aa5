import { z } from "zod";
import { classifyPath, type PathTraits } from "./classify-path.js";
import { isCommented, type WhereHistory } from "./where-history.js";

const countsSchema = z.object({
  hunks: z.number().int(),
  commentedHunks: z.number().int(),
  comments: z.number().int(),
});
export type HistoryCounts = z.infer<typeof countsSchema>;

/**
 * What the reviewer had done before a moment, in counts only (no text): how many hunks they saw
 * and commented on, overall and per file, directory and extension, and how many comments they
 * left. The where-model's history features read nothing else, so a summary taken strictly before
 * a pull request cannot leak its future; the bot stores the summary of the whole history with
 * the model for reviews.
 */
export const reviewerSummarySchema = z.object({
  /** Only events strictly before this time (ISO) are counted. */
  before: z.string(),
  pulls: z.number().int(),
  totals: countsSchema,
  files: z.record(z.string(), countsSchema),
  directories: z.record(z.string(), countsSchema),
  extensions: z.record(z.string(), countsSchema),
});
export type ReviewerSummary = z.infer<typeof reviewerSummarySchema>;

// Summaries are taken once per pull request over the whole history: classify each path once.
const traitsCache = new Map<string, PathTraits>();
function traitsOf(path: string): PathTraits {
  let traits = traitsCache.get(path);
  if (!traits) {
    if (traitsCache.size > 100_000) traitsCache.clear();
    traits = classifyPath(path);
    traitsCache.set(path, traits);
  }
  return traits;
}

const emptyCounts = (): HistoryCounts => ({ hunks: 0, commentedHunks: 0, comments: 0 });

function bump(table: Record<string, HistoryCounts>, key: string, field: keyof HistoryCounts): void {
  const counts = table[key] ?? emptyCounts();
  counts[field] += 1;
  table[key] = counts;
}

/**
 * Counts the reviewer's history strictly before `before`: pull requests created before it
 * (their hunks, commented when a kept comment inside was made before it) and kept comments made
 * before it, leaving out pull request `excludePull` (the one being scored). Pure.
 */
export function summariseReviewerHistory(params: {
  history: WhereHistory;
  before: string;
  excludePull?: number;
}): ReviewerSummary {
  const { before } = params;
  const summary: ReviewerSummary = {
    before,
    pulls: 0,
    totals: emptyCounts(),
    files: {},
    directories: {},
    extensions: {},
  };
  for (const pull of params.history.pulls) {
    if (pull.number === params.excludePull || !(pull.createdAt < before)) continue;
    summary.pulls += 1;
    for (const entry of pull.hunks) {
      const traits = traitsOf(entry.hunk.path);
      const fields: (keyof HistoryCounts)[] = isCommented(entry, before)
        ? ["hunks", "commentedHunks"]
        : ["hunks"];
      for (const field of fields) {
        summary.totals[field] += 1;
        bump(summary.files, entry.hunk.path, field);
        bump(summary.directories, traits.directory, field);
        bump(summary.extensions, traits.extension, field);
      }
    }
  }
  for (const comment of params.history.comments) {
    if (comment.pullNumber === params.excludePull || !(comment.createdAt < before)) continue;
    const traits = traitsOf(comment.path);
    summary.totals.comments += 1;
    bump(summary.files, comment.path, "comments");
    bump(summary.directories, traits.directory, "comments");
    bump(summary.extensions, traits.extension, "comments");
  }
  return summary;
}
