import type { HoldoutExample } from "./read-holdout.js";
import type { HoldoutPrediction } from "./select-over-holdout.js";

/**
 * One line of the scorer's `--pairs` file (`python -m trainer score`, trainer/metrics/pairs.py).
 * `hunk`, `gold_side` and `pred_side` are bookkeeping the scorer ignores.
 */
export interface ScorePair {
  hunk: number;
  pred: string;
  gold: string;
  gold_commented: boolean;
  pred_commented: boolean;
  gold_line: number | null;
  pred_line: number | null;
  gold_side: "LEFT" | "RIGHT" | null;
  pred_side: "LEFT" | "RIGHT" | null;
}

/**
 * Pairs each holdout hunk's real answer with a system's prediction: comment texts ("" for no
 * comment), whether each commented, and the lines. The scorer compares lines as numbers, so a
 * prediction on the other side of the diff (old file vs new file) gets no line: a miss.
 *
 * @throws Error when the predictions do not cover the holdout one to one.
 */
export function buildScorePairs(params: {
  examples: readonly HoldoutExample[];
  predictions: readonly HoldoutPrediction[];
}): ScorePair[] {
  if (params.predictions.length !== params.examples.length) {
    throw new Error(
      `got ${params.predictions.length} predictions for ${params.examples.length} holdout hunks; each hunk needs exactly one`,
    );
  }
  return params.examples.map((example, index) => {
    const prediction = params.predictions[index] ?? { commented: false };
    const gold = example.gold;
    const goldSide = gold.kind === "comment" ? gold.side : null;
    const predSide = prediction.commented ? prediction.placement.side : null;
    const predLine = prediction.commented ? prediction.placement.line : null;
    return {
      hunk: example.index,
      pred: prediction.commented ? prediction.text : "",
      gold: gold.kind === "comment" ? gold.body : "",
      gold_commented: gold.kind === "comment",
      pred_commented: prediction.commented,
      gold_line: gold.kind === "comment" ? gold.line : null,
      pred_line: goldSide !== null && predSide !== goldSide ? null : predLine,
      gold_side: goldSide,
      pred_side: predSide,
    };
  });
}

/** The pairs as the JSONL text the scorer reads. */
export function toPairsJsonl(pairs: readonly ScorePair[]): string {
  return pairs.map((pair) => `${JSON.stringify(pair)}\n`).join("");
}
