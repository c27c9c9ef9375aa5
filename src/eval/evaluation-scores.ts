import type { WhereEvaluation } from "./evaluate-where.js";
import type { ScoreSummary } from "./run-scorer.js";

/**
 * A compared system: `adapter`, `few-shot`, `zero-shot` in `npm run eval`; baselines such as
 * `always-comment` in `npm run bench:fidelity`; any name in a `--predictions` file.
 */
export type SystemId = string;

/**
 * A system's column in a report: its heading and model, then `ran` with what it scored, or why it
 * was not run (never invented figures).
 */
type SystemColumn<Ran> = {
  id: SystemId;
  /** Column heading, e.g. "adapter" or "few-shot (8 examples)". */
  title: string;
  /** The model name sent to the LLM server; null when there is none (no adapter, a baseline). */
  model: string | null;
} & (
  | ({
      ran: true;
      /** Hunks the model gave no answer for, by reason (silent for "where", empty text for "what"). */
      failedHunks: Record<string, number>;
      scores: ScoreSummary;
    } & Ran)
  | { ran: false; reason: string }
);

/** One system's column: its scores, or why it was not run. */
export type SystemScores = SystemColumn<{
  /** Comments kept after selection. */
  commentsPredicted: number;
  /** The comment budget this system had, in words ("⌈0.2 × 40 hunks⌉ = 8 comments"). */
  budget: string;
}>;

/** One system's answer to "what would they say?" on every commented hunk, or why it did not run. */
export type TextSystemScores = SystemColumn<{
  /**
   * Commented hunks whose comment is the system's own "where" answer, not asked again (the same
   * request under greedy decoding: see evaluateText); absent for the baselines.
   */
  fromWhereAnswers?: number;
  /**
   * With the review's consensus decoding: how many chosen comments were the greedy answer, a
   * sample, or a precedent (a past comment of the reviewer said again), and how many fell back to
   * the greedy answer because sampling failed.
   */
  chosenFrom?: Record<string, number>;
}>;

/**
 * "What": every system asked for a comment on every held-out hunk the reviewer commented on,
 * apart from the where decision, beside the retrieval-only and most-frequent-comment baselines.
 */
export interface TextEvaluation {
  /** Commented held-out hunks: the pairs each system is scored on. */
  pairs: number;
  /** The consensus decoding's sampling, when the systems answered by consensus. */
  sampling?: { n: number; temperature: number; topP: number };
  systems: TextSystemScores[];
}

/** What an evaluation found: written as the report's `.json` and returned to the caller. */
export interface EvaluationScores {
  /** The report's heading and file name stem: the reviewer's login, or the data set's name. */
  name: string;
  /** What was scored, for the report's first sentence ("12 held-out hunks from …"). */
  dataset: string;
  /** Whose comments are the gold ones; null when the data set does not say. */
  reviewerLogin: string | null;
  repoFullName: string | null;
  /** `YYYY-MM-DD`, the date in the report's file names. */
  date: string;
  holdoutSize: number;
  /** Holdout hunks the reviewer commented on. */
  holdoutComments: number;
  /** The reviewer's comments per hunk behind the budget; null when the budget was given. */
  reviewerCommentRate: number | null;
  /** The base model of the LLM systems; null when no LLM ran (predictions file). */
  baseModel: string | null;
  systems: SystemScores[];
  /** "What" on every commented hunk; absent when not measured (a predictions file). */
  text?: TextEvaluation;
  /**
   * "Where" apart from the LLM: the where-model beside the size rule on every hunk of the
   * held-out pull requests; absent when not measured (a predictions file).
   */
  where?: WhereEvaluation;
}

/** A row of the report: one figure of the scorer's summary. */
export interface MetricRow {
  key: keyof ScoreSummary;
  title: string;
  /** Label under the chart's bar group. */
  short: string;
  /** percent: 0–100; cosine: −1…1 (shown with two decimals). */
  scale: "percent" | "cosine";
  countKey: keyof ScoreSummary;
}

/** The report's rows, in order; `embed_sim_floor` is the shuffled-gold floor of `embed_sim`. */
export const METRIC_ROWS: readonly MetricRow[] = [
  {
    key: "comment_f1",
    short: "F1",
    title: "comment-where F1 (%)",
    scale: "percent",
    countKey: "n_labelled",
  },
  {
    key: "comment_precision",
    short: "precision",
    title: "comment precision (%)",
    scale: "percent",
    countKey: "n_labelled",
  },
  {
    key: "comment_recall",
    short: "recall",
    title: "comment recall (%)",
    scale: "percent",
    countKey: "n_labelled",
  },
  {
    key: "line_within_3",
    short: "line ±3",
    title: "line within 3 (%)",
    scale: "percent",
    countKey: "n_line",
  },
  {
    key: "embed_sim",
    short: "similarity",
    title: "similarity (embedding cosine)",
    scale: "cosine",
    countKey: "n_text",
  },
  {
    key: "embed_sim_floor",
    short: "sim. floor",
    title: "similarity floor (shuffled gold)",
    scale: "cosine",
    countKey: "n_text",
  },
  {
    key: "bleu",
    short: "BLEU-4",
    title: "BLEU-4 (CodeReviewer, ×100)",
    scale: "percent",
    countKey: "n_bleu",
  },
  { key: "chrf", short: "chrF", title: "chrF (0–100)", scale: "percent", countKey: "n_text" },
  {
    key: "rouge_l",
    short: "ROUGE-L",
    title: "ROUGE-L F (×100)",
    scale: "percent",
    countKey: "n_text",
  },
];

/** A figure of a summary as a number, or undefined when the scorer had none (n/a). */
export function metricValue(scores: ScoreSummary, key: keyof ScoreSummary): number | undefined {
  const value = scores[key];
  return typeof value === "number" ? value : undefined;
}

/** A figure as the report shows it: percentages with one decimal, cosines with two; n/a. */
export function formatMetric(value: number | undefined, scale: MetricRow["scale"]): string {
  if (value === undefined) return "n/a";
  return scale === "cosine" ? value.toFixed(2) : value.toFixed(1);
}
