import type { Hunk } from "./parse-diff-hunks.js";

/** `review.where` in `.github/tech-lead-bot.yml`: which threshold of the where-model decides. */
export type WhereMode = "balanced" | "quiet";

/** How a review reads a pull request: with the reviewer's where-model, or the rate budget. */
export type WherePlan =
  | {
      kind: "where-model";
      /** P(comment) per planned hunk, in input order. */
      probabilities: number[];
      /** Whether the where-model would speak on each planned hunk (before the review's cap). */
      speaks: boolean[];
      /** Indices of the hunks to ask the LLM about, most likely first: the selected, then a margin. */
      ask: number[];
      /** How many comments the review keeps at most: the selected hunks (capped by maxComments). */
      target: number;
    }
  | {
      /** The LLM reads every hunk and the rate budget decides over its ranking, as before. */
      kind: "rate-budget";
      reason: string;
    };

/**
 * Decides where the persona speaks before the LLM is asked (src/where's planWhereReading, bound
 * to the reviewer's where-model by the run's review stage).
 */
export type PlanWhere = (params: {
  hunks: readonly Hunk[];
  mode: WhereMode;
  maxComments: number;
}) => WherePlan;
