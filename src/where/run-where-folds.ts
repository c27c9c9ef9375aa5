import { applyWhereModel } from "./apply-where-model.js";
import { buildWhereRows, type WhereRow } from "./build-where-rows.js";
import { decideWhere } from "./decide-where.js";
import type { RollingFold } from "./split-rolling-folds.js";
import type { WhereHistory } from "./where-history.js";
import type { WhereModel } from "./where-model.js";

/** One held-out hunk after a fold: what the where-model said and what the reviewer did. */
export interface ScoredHunk {
  fold: number;
  pull: number;
  /** Position of the hunk in its pull request's final diff. */
  index: number;
  hunk: string;
  label: 0 | 1;
  probability: number;
  speaks: boolean;
  /** Lines the hunk adds (the size rule's input). */
  adds: number;
}

/** How one fold went. */
export interface FoldReport {
  fold: number;
  boundary: string;
  trainRows: number;
  trainPulls: number;
  heldOutPulls: number;
  model: WhereModel;
  fitSeconds: number;
  rule: "threshold" | "rate-budget";
  explanation: string;
}

/**
 * Runs rolling folds: for each fold, the training rows (pull requests opened before the
 * boundary, labels from comments made before it) go to `fit` — and nothing else does — then
 * the fitted model scores and decides every hunk of each held-out pull request, one pull
 * request at a time as a review would.
 */
export async function runWhereFolds(params: {
  history: WhereHistory;
  folds: readonly RollingFold[];
  fit: (trainRows: readonly WhereRow[]) => Promise<{ model: WhereModel; seconds: number }>;
  /** The LLM's P(comment) per hunk (pull request number → scores in hunk order): `llm:p`. */
  llmScores?: ReadonlyMap<number, readonly (number | undefined)[]>;
  onFold?: (report: FoldReport) => void;
}): Promise<{ hunks: ScoredHunk[]; folds: FoldReport[] }> {
  const llm = params.llmScores ? { llmScores: params.llmScores } : {};
  const hunks: ScoredHunk[] = [];
  const reports: FoldReport[] = [];
  for (const fold of params.folds) {
    const trainRows = buildWhereRows({
      history: params.history,
      pulls: fold.train,
      labelsBefore: fold.boundary,
      ...llm,
    });
    const { model, seconds } = await params.fit(trainRows);
    let rule: FoldReport["rule"] | undefined;
    let spoken = 0;
    let read = 0;
    for (const pull of fold.heldOut) {
      const rows = buildWhereRows({ history: params.history, pulls: [pull], ...llm });
      const probabilities = applyWhereModel(
        model,
        rows.map((row) => row.features),
      );
      const decision = decideWhere({ model, scores: probabilities, reviewerCommentRate: 0 });
      rule ??= decision.rule;
      spoken += decision.speaks.filter(Boolean).length;
      read += decision.speaks.length;
      rows.forEach((row, index) => {
        const entry = pull.hunks[index];
        hunks.push({
          fold: fold.index,
          pull: pull.number,
          index,
          hunk: row.hunk,
          label: row.label,
          probability: probabilities[index] ?? 0,
          speaks: decision.speaks[index] ?? false,
          adds: entry ? entry.hunk.lines.filter((line) => line.kind === "add").length : 0,
        });
      });
    }
    const report: FoldReport = {
      fold: fold.index,
      boundary: fold.boundary,
      trainRows: trainRows.length,
      trainPulls: fold.train.length,
      heldOutPulls: fold.heldOut.length,
      model,
      fitSeconds: seconds,
      rule: rule ?? (model.decision.kind === "threshold" ? "threshold" : "rate-budget"),
      explanation: `${model.decision.kind === "threshold" ? `threshold P ≥ ${model.decision.threshold.toFixed(3)} (${model.decision.note})` : `rate budget (${model.decision.reason})`}: speaks on ${spoken} of ${read} held-out hunks`,
    };
    reports.push(report);
    params.onFold?.(report);
  }
  return { hunks, folds: reports };
}
