import type { EvaluationScores, SystemScores } from "./evaluation-scores.js";

/**
 * The one-line quote for the status comment and the review's attribution, e.g.
 * `holdout: comment-where F1 0.61, similarity 0.71 vs 0.58 few-shot, where F1 0.52 vs 0.35 size
 * rule` (the last part: the where-model, when it was evaluated). F1 is a share (0–1);
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
  const where = whereModelVersusSizeRule(scores);
  if (where) parts.push(where);
  return `holdout: ${parts.join(", ")}`;
}

/** `where F1 0.52 vs 0.35 size rule`, when the where-model was evaluated. */
function whereModelVersusSizeRule(scores: EvaluationScores): string | undefined {
  if (!scores.where?.ran) return undefined;
  const figure = (id: string) =>
    scores.where?.ran && scores.where.systems.find((system) => system.id === id);
  const model = figure("where-model");
  const size = figure("size-rule");
  if (!model || !size) return undefined;
  return `where F1 ${model.f1.toFixed(2)} vs ${size.f1.toFixed(2)} size rule`;
}

function ranSystem(scores: EvaluationScores, id: SystemScores["id"]) {
  const system = scores.systems.find((candidate) => candidate.id === id);
  return system?.ran ? system : undefined;
}

function cosine(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(2);
}
