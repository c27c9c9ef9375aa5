import { commentBudget } from "../review/select-comments.js";
import { WHERE_FEATURE_SPEC } from "./compute-where-features.js";
import type { WhereMode, WhereModel, WhereModelDecision } from "./where-model.js";

/** The model's decision for `mode` (its fit-time mode when it has no per-mode decisions). */
export function decisionFor(model: WhereModel, mode: WhereMode | undefined): WhereModelDecision {
  return (mode && model.decisions?.[mode]) || model.decision;
}

/** Where the persona speaks on one pull request, and the rule that decided it. */
export interface WhereDecision {
  /** One per hunk, in input order. */
  speaks: boolean[];
  /** `threshold` (the model's own cut) or `rate-budget` (⌈rate × hunks⌉, the top-ranked). */
  rule: "threshold" | "rate-budget";
  /** For people: how the decision was made, and why the model's threshold was not used if so. */
  explanation: string;
}

/**
 * Why a model cannot decide with its threshold here: none trained, features computed by another
 * spec, or too little history when it was fitted. Undefined when it can.
 */
export function whereFallbackReason(
  model: WhereModel | undefined,
  mode?: WhereMode,
): string | undefined {
  if (!model) return "no where-model for this reviewer yet";
  if (model.featureSpec !== WHERE_FEATURE_SPEC) {
    return `the where-model was trained on features "${model.featureSpec}", this bot computes "${WHERE_FEATURE_SPEC}": retrain the reviewer`;
  }
  const decision = decisionFor(model, mode);
  if (decision.kind === "rate-budget") return decision.reason;
  return undefined;
}

/** Indices of `scores`, highest first; ties keep input order. */
function rankedIndices(scores: readonly number[]): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .sort((left, right) => right.score - left.score || left.index - right.index)
    .map(({ index }) => index);
}

/**
 * Decides which hunks the persona speaks on. With a usable model: every hunk whose calibrated
 * probability reaches the model's threshold — and, when the decision has a `minPerPull` floor
 * (balanced mode) and fewer hunks reach it, that many of the most likely hunks. Otherwise the
 * rate budget the review has always used: the ⌈reviewer's comment rate × hunks⌉ highest `scores`
 * (the model's probabilities when it could rank, else whatever the caller ranks by), and the
 * explanation says why. Ties keep input order. Pure.
 */
export function decideWhere(params: {
  model: WhereModel | undefined;
  /** `review.where`; the model's fit-time mode when absent. */
  mode?: WhereMode;
  /** Calibrated probabilities (or another ranking score for the fallback), one per hunk. */
  scores: readonly number[];
  reviewerCommentRate: number;
}): WhereDecision {
  const { model, scores } = params;
  const reason = whereFallbackReason(model, params.mode);
  const decision = model ? decisionFor(model, params.mode) : undefined;
  if (model && reason === undefined && decision?.kind === "threshold") {
    const { threshold } = decision;
    const speaks = scores.map((score) => score >= threshold);
    const reaching = speaks.filter(Boolean).length;
    const floor = Math.min(decision.minPerPull ?? 0, scores.length);
    const explanation = `where-model (${params.mode ?? model.mode}): ${reaching} of ${scores.length} hunks reach P(comment) ≥ ${threshold.toFixed(3)}`;
    if (reaching >= floor) return { speaks, rule: "threshold", explanation };
    for (const index of rankedIndices(scores).slice(0, floor)) speaks[index] = true;
    return {
      speaks,
      rule: "threshold",
      explanation: `${explanation}; speaks on the ${floor === 1 ? "most likely hunk" : `${floor} most likely hunks`} (a review never says nothing in this mode)`,
    };
  }
  const rate = decision?.kind === "rate-budget" ? decision.rate : params.reviewerCommentRate;
  const budget = Math.min(
    scores.length,
    commentBudget({ reviewerCommentRate: rate, hunksRead: scores.length }),
  );
  const speaks = scores.map(() => false);
  for (const index of rankedIndices(scores).slice(0, budget)) speaks[index] = true;
  return {
    speaks,
    rule: "rate-budget",
    explanation: `rate budget ⌈${Math.round(rate * 1000) / 1000} × ${scores.length} hunks⌉ = ${budget} (${reason ?? "the where-model chose it"})`,
  };
}
