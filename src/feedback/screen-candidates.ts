import { cosineSimilarity, type TermVector, termVector } from "./text-similarity.js";

/**
 * Two comments at least this similar are "of the same kind". Measured, not guessed
 * (`npm run bench:feedback` on bitcoin-core/secp256k1's real top-level review comments): among
 * 173,727 sampled pairs of unrelated comments (different reviewers, different PRs) the 99.9th
 * percentile is 0.271 and 0.07% reach 0.3, while pairs of one reviewer's comments within one
 * review — where their repeated remarks are — reach 0.3 in 4.6% (99th percentile 0.94).
 * So 0.3 wrongly matches about 1 unrelated pair in 1,400.
 */
export const SUPPRESSION_THRESHOLD = 0.3;

/**
 * A past comment of the real reviewer is cited as precedent from this similarity up: no unrelated
 * pair of the sample reaches it, so a cited precedent is about the same thing.
 */
export const PRECEDENT_THRESHOLD = 0.5;

/** How many similar down-voted or ignored comments hold a new one back (Greptile used 3). */
export const MIN_SIMILAR_NEGATIVES = 2;

/** A real past comment of the reviewer that can be cited. */
export interface PrecedentSource {
  body: string;
  pullNumber: number;
  commentId: number;
}

/** What the persona's history says about one candidate comment. */
export interface CandidateScreening {
  holdBack: boolean;
  /** Similar down-voted or ignored comments of the persona. */
  similarNegatives: number;
  similarPositives: number;
  /** Added to the candidate's score: resembling addressed / up-voted comments ranks it higher. */
  preference: number;
  precedent?: PrecedentSource;
}

/** The persona's history, vectorised once per review. */
export interface ScreeningHistory {
  negatives: TermVector[];
  positives: TermVector[];
  precedents: { source: PrecedentSource; vector: TermVector }[];
}

export function prepareScreeningHistory(params: {
  negatives: readonly string[];
  positives: readonly string[];
  precedents: readonly PrecedentSource[];
}): ScreeningHistory {
  return {
    negatives: params.negatives.map(termVector),
    positives: params.positives.map(termVector),
    precedents: params.precedents.map((source) => ({ source, vector: termVector(source.body) })),
  };
}

/**
 * Held back when at least {@link MIN_SIMILAR_NEGATIVES} of the persona's down-voted or ignored
 * comments resemble it and they outnumber the addressed or up-voted ones that do. Pure.
 */
export function screenCandidate(params: {
  text: string;
  history: ScreeningHistory;
}): CandidateScreening {
  const vector = termVector(params.text);
  const similar = (vectors: TermVector[]) =>
    vectors
      .map((other) => cosineSimilarity(vector, other))
      .filter((s) => s >= SUPPRESSION_THRESHOLD);
  const negatives = similar(params.history.negatives);
  const positives = similar(params.history.positives);
  let precedent: PrecedentSource | undefined;
  let best = PRECEDENT_THRESHOLD;
  for (const candidate of params.history.precedents) {
    const similarity = cosineSimilarity(vector, candidate.vector);
    if (similarity >= best) {
      best = similarity;
      precedent = candidate.source;
    }
  }
  return {
    holdBack: negatives.length >= MIN_SIMILAR_NEGATIVES && negatives.length > positives.length,
    similarNegatives: negatives.length,
    similarPositives: positives.length,
    preference: positives.length > 0 ? Math.max(...positives) * 0.5 : 0,
    ...(precedent ? { precedent } : {}),
  };
}
