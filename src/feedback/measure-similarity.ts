import type { HistoryPull } from "../history/measure-human-addressed-rate.js";
import { cosineSimilarity, termVector } from "./text-similarity.js";

interface Comment {
  login: string;
  pull: number;
  reviewId: number | null;
  body: string;
}

/** Quantiles of a similarity distribution. */
export interface SimilarityDistribution {
  pairs: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  /** Share of pairs at or above each threshold. */
  above: Record<string, number>;
}

/**
 * The similarity of unrelated comments (different reviewers, different PRs) against comments of
 * the same reviewer in the same review (which holds their repeated remarks: "same here", the
 * same nit on several lines). A deterministic sample (every k-th pair), so runs agree.
 */
export function measureSimilarity(params: {
  pulls: readonly HistoryPull[];
  thresholds: readonly number[];
  maxPairs?: number;
}): { unrelated: SimilarityDistribution; sameReview: SimilarityDistribution } {
  const comments: Comment[] = params.pulls.flatMap((pull) =>
    pull.comments
      .filter((c) => c.in_reply_to_id === null && c.user !== pull.user && c.user !== "ghost")
      .map((c) => ({
        login: c.user,
        pull: pull.number,
        reviewId: c.pull_request_review_id ?? null,
        body: c.body,
      })),
  );
  const vectors = comments.map((comment) => termVector(comment.body));
  const maxPairs = params.maxPairs ?? 200_000;
  const unrelated: number[] = [];
  const sameReview: number[] = [];
  const total = (comments.length * (comments.length - 1)) / 2;
  const step = Math.max(1, Math.floor(total / maxPairs));
  let index = 0;
  for (let i = 0; i < comments.length; i++) {
    for (let j = i + 1; j < comments.length; j++) {
      const a = comments[i] as Comment;
      const b = comments[j] as Comment;
      const same = a.login === b.login && a.reviewId !== null && a.reviewId === b.reviewId;
      if (same) sameReview.push(cosineSimilarity(vectors[i] as never, vectors[j] as never));
      else if (index++ % step === 0 && a.login !== b.login && a.pull !== b.pull)
        unrelated.push(cosineSimilarity(vectors[i] as never, vectors[j] as never));
    }
  }
  return {
    unrelated: describe(unrelated, params.thresholds),
    sameReview: describe(sameReview, params.thresholds),
  };
}

function describe(values: number[], thresholds: readonly number[]): SimilarityDistribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 1000) /
    1000;
  return {
    pairs: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    above: Object.fromEntries(
      thresholds.map((threshold) => [
        String(threshold),
        Math.round(
          (sorted.filter((v) => v >= threshold).length / Math.max(1, sorted.length)) * 1e4,
        ) / 1e4,
      ]),
    ),
  };
}
