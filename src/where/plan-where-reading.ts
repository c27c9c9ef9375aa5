import type { Hunk } from "../review/parse-diff-hunks.js";
import type { WherePlan } from "../review/where-plan.js";
import { applyWhereModel } from "./apply-where-model.js";
import { computeWhereFeatures } from "./compute-where-features.js";
import { decideWhere, whereFallbackReason } from "./decide-where.js";
import type { WhereMode, WhereModel } from "./where-model.js";

/**
 * Share of the selected hunks also sent to the LLM (at least one), ranked next by the where-model:
 * when it answers NO_COMMENT on a selected hunk, the next most likely one can take its place.
 */
export const WHERE_LLM_MARGIN_SHARE = 0.25;

/**
 * Decides where the persona speaks before any LLM call: features of every planned hunk from the
 * reviewer's history summary stored with the model, calibrated probabilities, the model's
 * threshold for `mode`, then the selected hunks (at most `maxComments`) plus a margin of
 * {@link WHERE_LLM_MARGIN_SHARE} to ask the LLM about. Without a usable model (none yet, too
 * little history, another feature spec, no summary) the review falls back to the rate budget
 * over the LLM's own ranking, and the plan says why. Pure.
 */
export function planWhereReading(params: {
  hunks: readonly Hunk[];
  model: WhereModel | undefined;
  mode: WhereMode;
  maxComments: number;
}): WherePlan {
  const { model } = params;
  const reason = whereFallbackReason(model, params.mode);
  if (reason !== undefined || !model) return { kind: "rate-budget", reason: reason ?? "" };
  if (!model.summary) {
    return {
      kind: "rate-budget",
      reason:
        "the where-model has no history summary to compute features from: retrain the reviewer",
    };
  }
  const features = computeWhereFeatures({ hunks: params.hunks, summary: model.summary });
  const probabilities = applyWhereModel(model, features);
  const decision = decideWhere({
    model,
    mode: params.mode,
    scores: probabilities,
    reviewerCommentRate: 0,
  });
  const ranked = probabilities
    .map((probability, index) => ({ probability, index }))
    .sort((left, right) => right.probability - left.probability || left.index - right.index)
    .map(({ index }) => index);
  const selected = ranked
    .filter((index) => decision.speaks[index])
    .slice(0, Math.max(0, params.maxComments));
  const margin =
    selected.length === 0 ? 0 : Math.max(1, Math.ceil(selected.length * WHERE_LLM_MARGIN_SHARE));
  const chosen = new Set(selected);
  const extra = ranked.filter((index) => !chosen.has(index)).slice(0, margin);
  return {
    kind: "where-model",
    probabilities,
    speaks: decision.speaks,
    ask: [...selected, ...extra],
    target: selected.length,
  };
}
