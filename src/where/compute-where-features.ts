import type { Hunk } from "../review/parse-diff-hunks.js";
import { classifyPath } from "./classify-path.js";
import { HASH_BUCKETS, hashLineTokens } from "./hash-tokens.js";
import type { HistoryCounts, ReviewerSummary } from "./summarise-reviewer-history.js";

/**
 * Names the feature definitions and the token hashing. A model records the spec it was trained
 * on; the bot refuses (and falls back to the rate budget) when the spec it computes differs.
 */
export const WHERE_FEATURE_SPEC = `where-features/1 fnv1a-${HASH_BUCKETS}`;

/** Pseudo-hunks of prior weight that pull a file's or directory's rate toward the overall one. */
const RATE_PRIOR_HUNKS = 5;

/** A sparse feature vector: feature name → value (absent means 0). */
export type WhereFeatures = Record<string, number>;

const COMMENT_LINE = /^\s*(\/\/|\/\*|\*|#\s|#$|--\s|;|"""|''')/;

function log1p(value: number): number {
  return Math.log1p(Math.max(0, value));
}

function overallRate(summary: ReviewerSummary): number {
  return (summary.totals.commentedHunks + 1) / (summary.totals.hunks + 2);
}

function smoothedRate(counts: HistoryCounts | undefined, prior: number): number {
  const hunks = counts?.hunks ?? 0;
  const commented = counts?.commentedHunks ?? 0;
  return (commented + RATE_PRIOR_HUNKS * prior) / (hunks + RATE_PRIOR_HUNKS);
}

function changedCount(hunk: Hunk): number {
  return hunk.lines.filter((line) => line.kind !== "context").length;
}

/**
 * The where-model's features for every hunk of one pull request (same order as `hunks`):
 * - shape: lines added/removed/context, position in its file, share of the pull request and of
 *   its file, new or deleted file, comment-only and blank lines;
 * - pull request: changed lines, files, hunks;
 * - path: extension, ancestor directories, test/doc/build file (generic patterns);
 * - history: the reviewer's comments, hunks seen and smoothed comment rate on this file,
 *   directory and extension, and overall — read only from `summary`, which the caller takes
 *   strictly before the pull request (see summariseReviewerHistory);
 * - content: hashed identifiers of the changed lines (hash-tokens.ts);
 * - `llm:p`, the LLM's P(comment), only where `llmScores` gives one.
 * Pure.
 */
export function computeWhereFeatures(params: {
  hunks: readonly Hunk[];
  summary: ReviewerSummary;
  llmScores?: readonly (number | undefined)[];
}): WhereFeatures[] {
  const { hunks, summary } = params;
  const prior = overallRate(summary);
  const changedInPull = hunks.reduce((sum, hunk) => sum + changedCount(hunk), 0);
  const hunksPerFile = new Map<string, number>();
  const changedPerFile = new Map<string, number>();
  for (const hunk of hunks) {
    hunksPerFile.set(hunk.path, (hunksPerFile.get(hunk.path) ?? 0) + 1);
    changedPerFile.set(hunk.path, (changedPerFile.get(hunk.path) ?? 0) + changedCount(hunk));
  }
  const pullFeatures: WhereFeatures = {
    "pr:changed": log1p(changedInPull),
    "pr:files": log1p(hunksPerFile.size),
    "pr:hunks": log1p(hunks.length),
    "hist:rate": prior,
    "hist:hunks": log1p(summary.totals.hunks),
    "hist:comments": log1p(summary.totals.comments),
    "hist:pulls": log1p(summary.pulls),
  };
  return hunks.map((hunk, index) => {
    const adds = hunk.lines.filter((line) => line.kind === "add");
    const dels = hunk.lines.filter((line) => line.kind === "del");
    const context = hunk.lines.length - adds.length - dels.length;
    const changed = [...adds, ...dels];
    const fileHunks = hunksPerFile.get(hunk.path) ?? 1;
    const traits = classifyPath(hunk.path);
    const file = summary.files[hunk.path];
    const directory = summary.directories[traits.directory];
    const extension = summary.extensions[traits.extension];
    const features: WhereFeatures = {
      ...pullFeatures,
      "shape:adds": log1p(adds.length),
      "shape:dels": log1p(dels.length),
      "shape:context": log1p(context),
      "shape:only_adds": dels.length === 0 ? 1 : 0,
      "shape:only_dels": adds.length === 0 ? 1 : 0,
      "shape:first_in_file": hunk.indexInFile === 0 ? 1 : 0,
      "shape:position_in_file": fileHunks > 1 ? Math.min(1, hunk.indexInFile / (fileHunks - 1)) : 0,
      "shape:hunks_in_file": log1p(fileHunks),
      "shape:pull_share": changedInPull > 0 ? changed.length / changedInPull : 0,
      "shape:file_share":
        changedInPull > 0 ? (changedPerFile.get(hunk.path) ?? 0) / changedInPull : 0,
      "shape:new_file": hunk.oldStart === 0 && dels.length === 0 ? 1 : 0,
      "shape:deleted_file": hunk.newStart === 0 && adds.length === 0 ? 1 : 0,
      "shape:comment_lines":
        changed.length > 0
          ? changed.filter((line) => COMMENT_LINE.test(line.content)).length / changed.length
          : 0,
      "shape:blank_lines":
        changed.length > 0
          ? changed.filter((line) => line.content.trim() === "").length / changed.length
          : 0,
      [`ext:${traits.extension}`]: 1,
      "path:depth": traits.directories.length,
      "path:test": traits.isTest ? 1 : 0,
      "path:doc": traits.isDoc ? 1 : 0,
      "path:build": traits.isBuild ? 1 : 0,
      "hist:file_seen": file && file.hunks + file.comments > 0 ? 1 : 0,
      "hist:file_comments": log1p(file?.comments ?? 0),
      "hist:file_hunks": log1p(file?.hunks ?? 0),
      "hist:file_rate": smoothedRate(file, prior),
      "hist:dir_comments": log1p(directory?.comments ?? 0),
      "hist:dir_hunks": log1p(directory?.hunks ?? 0),
      "hist:dir_rate": smoothedRate(directory, prior),
      "hist:ext_rate": smoothedRate(extension, prior),
      ...hashLineTokens(changed.map((line) => line.content)),
    };
    for (const directoryName of traits.directories) features[`dir:${directoryName}`] = 1;
    const llm = params.llmScores?.[index];
    if (llm !== undefined) features["llm:p"] = llm;
    return features;
  });
}
