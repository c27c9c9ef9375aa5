/** A hunk the model would comment on, with how likely the reviewer is to speak there. */
export interface CommentCandidate {
  /** 1 − P(no comment); undefined when the server gave no log-probabilities. */
  score: number | undefined;
}

/** Result of choosing where to speak. */
export interface Selection<Candidate> {
  selected: Candidate[];
  /** Dropped because the reviewer historically comments on fewer hunks than this. */
  overRateCap: Candidate[];
  /** Dropped because a review holds at most `maxComments` comments. */
  overReviewCap: Candidate[];
  /** How many comments the reviewer's history suggests for this many hunks. */
  rateBudget: number;
}

/**
 * Keeps the candidates the reviewer is most likely to have made: ranked by score (answers without
 * log-probabilities rank after scored ones, in hunk order), at most ceil(comment rate × hunks read)
 * of them, and never more than `maxComments` (30 at most: GitHub abuse limits).
 */
export function selectComments<Candidate extends CommentCandidate>(params: {
  candidates: readonly Candidate[];
  hunksRead: number;
  /** The reviewer's historical comments per hunk reviewed, from 0 to 1 (or more). */
  reviewerCommentRate: number;
  maxComments: number;
  /** How many to keep instead of the rate budget (the where-model's selection). */
  budget?: number;
}): Selection<Candidate> {
  const rateBudget = params.budget ?? commentBudget(params);
  const ranked = rankByScore(params.candidates);
  const cap = Math.min(rateBudget, Math.min(params.maxComments, 30));
  const selected = ranked.slice(0, cap);
  const dropped = ranked.slice(cap);
  // Candidates within the rate budget but past the review cap are the overflow of the 30 cap.
  const overflowCount = Math.max(0, Math.min(ranked.length, rateBudget) - cap);
  return {
    selected,
    overReviewCap: dropped.slice(0, overflowCount),
    overRateCap: dropped.slice(overflowCount),
    rateBudget,
  };
}

/**
 * How many comments the reviewer's history suggests for this many hunks:
 * ceil(comment rate × hunks read). The evaluation applies it over a whole holdout.
 */
export function commentBudget(params: { reviewerCommentRate: number; hunksRead: number }): number {
  return Math.ceil(Math.max(0, params.reviewerCommentRate) * params.hunksRead);
}

/** Most likely first; answers without log-probabilities after scored ones, in input order. */
export function rankByScore<Candidate extends CommentCandidate>(
  candidates: readonly Candidate[],
): Candidate[] {
  return candidates
    .map((candidate, order) => ({ candidate, order }))
    .sort((a, b) => (b.candidate.score ?? -1) - (a.candidate.score ?? -1) || a.order - b.order)
    .map(({ candidate }) => candidate);
}
