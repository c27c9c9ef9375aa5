import { filterFiles } from "./filter-files.js";
import { fingerprintHunk } from "./fingerprint.js";
import { type DiffFile, type Hunk, parseDiffHunks } from "./parse-diff-hunks.js";
import type { ReviewModel } from "./review-model.js";
import { modelVersionOf } from "./review-model.js";
import { splitOversizedHunks } from "./split-oversized-hunks.js";

/** A hunk to send to the model, with its fingerprint. */
export interface PlannedHunk {
  hunk: Hunk;
  fingerprint: string;
}

/** Which hunks of a PR this run reads, and what it leaves out. */
export interface HunkPlan {
  /** Every file of the diff, for checking comment lines before posting. */
  files: DiffFile[];
  /** Files the reviewer reads (after the ignore rules). */
  kept: DiffFile[];
  /** Files left out, counted by reason. */
  skippedFiles: Record<string, number>;
  toRead: PlannedHunk[];
  alreadyReviewed: number;
  overHunkLimit: number;
}

/**
 * Turns a PR's diff into the hunks this run sends to the model: parsed, filtered (binary,
 * deleted, lock/vendored/generated and repository globs), oversized hunks split to fit the
 * model's context, fingerprinted, minus those this reviewer's model already read on the PR, and
 * capped at `maxHunks`. Pure, so the evaluation stage can plan holdout diffs the same way.
 */
export function planHunksToRead(params: {
  diffText: string;
  filesWithoutPatch: readonly string[];
  extraIgnoreGlobs: readonly string[];
  reviewerLogin: string;
  model: ReviewModel;
  maxHunkChars: number;
  maxHunks: number;
  alreadyRead: ReadonlySet<string>;
}): HunkPlan {
  const files = parseDiffHunks(params.diffText);
  const { kept, skipped } = filterFiles({ files, extraIgnoreGlobs: params.extraIgnoreGlobs });
  const skippedFiles: Record<string, number> = {};
  for (const { reason } of skipped) skippedFiles[reason] = (skippedFiles[reason] ?? 0) + 1;
  if (params.filesWithoutPatch.length > 0) {
    skippedFiles["without a patch from GitHub (binary or too large)"] =
      params.filesWithoutPatch.length;
  }
  const modelVersion = modelVersionOf(params.model);
  const hunks = splitOversizedHunks({
    hunks: kept.flatMap((file) => file.hunks),
    maxChars: params.maxHunkChars,
  }).map((hunk) => ({ hunk, fingerprint: "" }));
  // Identical hunks in one file: the nth copy gets its own id, so reading one does not skip all.
  const seen = new Map<string, number>();
  for (const planned of hunks) {
    const base = fingerprintHunk({
      hunk: planned.hunk,
      reviewerLogin: params.reviewerLogin,
      modelVersion,
    });
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    planned.fingerprint =
      occurrence === 0
        ? base
        : fingerprintHunk({
            hunk: planned.hunk,
            reviewerLogin: params.reviewerLogin,
            modelVersion,
            occurrence,
          });
  }
  const fresh = hunks.filter(({ fingerprint }) => !params.alreadyRead.has(fingerprint));
  const toRead = fresh.slice(0, params.maxHunks);
  return {
    files,
    kept,
    skippedFiles,
    toRead,
    alreadyReviewed: hunks.length - fresh.length,
    overHunkLimit: fresh.length - toRead.length,
  };
}
