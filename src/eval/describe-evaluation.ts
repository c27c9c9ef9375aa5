import type { EvaluationScores, SystemScores } from "./evaluation-scores.js";

/**
 * The one-line quote for the status comment and the review's attribution, e.g.
 * `holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot`. F1 is a share (0–1);
 * similarity is the embedding cosine. Says so when the adapter was not evaluated.
 */
export function describeEvaluation(scores: EvaluationScores): string {
  const adapter = ranSystem(scores, "adapter");
  if (!adapter) return "holdout: no adapter evaluated";
  const f1 = adapter.scores.comment_f1;
  const parts = [
    `comment-where F1 ${f1 === null || f1 === undefined ? "n/a" : (f1 / 100).toFixed(2)}`,
  ];
  const fewShot = ranSystem(scores, "few-shot");
  const similarity = `similarity ${cosine(adapter.scores.embed_sim)}`;
  parts.push(
    fewShot ? `${similarity} vs ${cosine(fewShot.scores.embed_sim)} few-shot` : similarity,
  );
  return `holdout: ${parts.join(", ")}`;
}

function ranSystem(scores: EvaluationScores, id: SystemScores["id"]) {
  const system = scores.systems.find((candidate) => candidate.id === id);
  return system?.ran ? system : undefined;
}

function cosine(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(2);
}
