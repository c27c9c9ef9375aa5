import type { DiffHunk } from "../prompts/diff-hunk.js";
import { findPrecedents } from "./find-precedents.js";
import { hunkCode, type PrecedentIndex } from "./precedent-index.js";

/**
 * The reviewer's most frequent comment in the index (the training part), the newest among
 * equals: what a system that knows nothing about the hunk would best say. Undefined for an empty
 * index.
 */
export function mostFrequentComment(index: PrecedentIndex): string | undefined {
  const counts = new Map<string, number>();
  for (const precedent of index.precedents) {
    counts.set(precedent.comment, (counts.get(precedent.comment) ?? 0) + 1);
  }
  let best: { comment: string; count: number } | undefined;
  // Precedents are oldest first: `>=` lets a newer comment win a tie.
  for (const precedent of index.precedents) {
    const count = counts.get(precedent.comment) ?? 0;
    if (!best || count >= best.count) best = { comment: precedent.comment, count };
  }
  return best?.comment;
}

/**
 * Retrieval-only: the nearest precedent's comment said again, as the review would retrieve it
 * for this hunk; the most frequent comment when no precedent shares a token with the hunk.
 */
export function retrievalOnlyComment(params: {
  index: PrecedentIndex;
  hunk: Pick<DiffHunk, "lines"> & { path: string };
}): string | undefined {
  const [nearest] = findPrecedents({
    index: params.index,
    query: { path: params.hunk.path, code: hunkCode(params.hunk) },
    k: 1,
  });
  return nearest?.comment ?? mostFrequentComment(params.index);
}
