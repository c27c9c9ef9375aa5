import { posix } from "node:path";
import type { Precedent } from "./precedent-index.js";

/**
 * Precedents shown per hunk, fixed in advance (not tuned on any reviewer): enough to show the
 * reviewer's habits on similar code, few enough to cost ~100 tokens of prompt.
 */
export const PRECEDENTS_PER_HUNK = 3;

/**
 * Scores within this share of the best one count as "as close": among them a precedent on the
 * same file, then the same directory, comes first. Fixed in advance.
 */
export const AS_CLOSE_SHARE = 0.05;

/** What a hunk being reviewed (or a training example) is: where, when, and in which pull request. */
export interface PrecedentQuery {
  path: string;
  /** Only precedents strictly before this moment (ISO 8601); none: every precedent is earlier. */
  before?: string | undefined;
  /** The example's own comment: never its own precedent. */
  excludeId?: string | undefined;
  /** The pull request under review: the reviewer's comments on it are not precedents for it. */
  pullNumber?: number | undefined;
}

/**
 * The `k` best precedents by `scores` (one per precedent, from any ranker; higher is closer):
 * only those earlier than the query, never the query's own comment or its own pull request, and
 * only those with a positive score (sharing something with the hunk). Scores are compared in
 * steps of {@link AS_CLOSE_SHARE} of the best score; within a step the same file, then the same
 * directory comes first, then the higher score, then the newer comment. Pure.
 */
export function pickPrecedents(params: {
  precedents: readonly Precedent[];
  scores: readonly number[];
  query: PrecedentQuery;
  k: number;
}): Precedent[] {
  const { query } = params;
  // Times compare as instants: GitHub writes `…:05Z`, Date#toISOString `…:05.000Z`.
  const before = query.before === undefined ? undefined : Date.parse(query.before);
  const eligible = params.precedents.flatMap((precedent, index) => {
    const score = params.scores[index] ?? 0;
    if (!(score > 0)) return [];
    if (query.excludeId !== undefined && precedent.id === query.excludeId) return [];
    if (query.pullNumber !== undefined && precedent.pullNumber === query.pullNumber) return [];
    if (before !== undefined && !(Date.parse(precedent.at) < before)) return [];
    return [{ precedent, score }];
  });
  const best = Math.max(0, ...eligible.map((entry) => entry.score));
  const step = best * AS_CLOSE_SHARE;
  const ranked = eligible.map((entry) => ({
    ...entry,
    band: Math.floor((best - entry.score) / step),
    nearness: nearness(query.path, entry.precedent.path),
  }));
  ranked.sort(
    (left, right) =>
      left.band - right.band ||
      right.nearness - left.nearness ||
      right.score - left.score ||
      right.precedent.at.localeCompare(left.precedent.at) ||
      left.precedent.id.localeCompare(right.precedent.id),
  );
  return ranked.slice(0, params.k).map((entry) => entry.precedent);
}

/** 2: the same file; 1: the same directory; 0: elsewhere. */
function nearness(queryPath: string, precedentPath: string): number {
  if (queryPath === precedentPath) return 2;
  return posix.dirname(queryPath) === posix.dirname(precedentPath) ? 1 : 0;
}
