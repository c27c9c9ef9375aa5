import type { Logger } from "pino";
import type { CleanComment } from "../history/clean-comments.js";
import type { PullFiles, RawReviewComment, ReviewedPull } from "../history/history-records.js";
import { buildWhereHistory } from "../where/build-where-history.js";
import type { WhereRow } from "../where/build-where-rows.js";
import { runWhereFolds, type ScoredHunk } from "../where/run-where-folds.js";
import {
  averagePrecision,
  classificationFigures,
  SIZE_RULE_ADDED_LINES,
} from "../where/score-where.js";
import type { WhereModel } from "../where/where-model.js";

/** What the where-model is evaluated from: the collected history, its holdout boundary included. */
export interface WhereSource {
  pulls: readonly ReviewedPull[];
  pullFiles: readonly PullFiles[];
  rawComments: readonly RawReviewComment[];
  kept: readonly CleanComment[];
  /**
   * Creation time from which the history stage held pull requests out; null: no holdout;
   * undefined: collected before the boundary was recorded.
   */
  holdoutFrom: string | null | undefined;
}

/** One "where" system on the held-out hunks: figures are shares (0–1). */
export interface WhereSystemFigures {
  id: "where-model" | "size-rule" | "always-comment";
  title: string;
  precision: number;
  recall: number;
  f1: number;
  /** Average precision of the system's ranking (the size rule ranks by lines added). */
  prauc: number;
  /** Hunks it speaks on. */
  speaks: number;
}

/** The where-model beside the size rule on every hunk of the held-out pull requests, or why not. */
export type WhereEvaluation =
  | {
      ran: true;
      /** Held-out pull requests the reviewer commented in that have their files. */
      heldOutPulls: number;
      hunks: number;
      /** Hunks the reviewer commented on. */
      commented: number;
      /** The model's training part: pull requests opened before the holdout. */
      trainedOn: WhereModel["trainedOn"];
      /** How it decided, e.g. "threshold P ≥ 0.25 (…): speaks on 12 of 80 held-out hunks". */
      rule: string;
      fitSeconds: number;
      systems: WhereSystemFigures[];
    }
  | { ran: false; reason: string };

type Fit = (rows: readonly WhereRow[]) => Promise<{ model: WhereModel; seconds: number }>;

function figuresOf(
  hunks: readonly ScoredHunk[],
  system: Pick<WhereSystemFigures, "id" | "title">,
  speaks: (hunk: ScoredHunk) => boolean,
  score: (hunk: ScoredHunk) => number,
): WhereSystemFigures {
  const figures = classificationFigures(
    hunks.map((hunk) => ({ label: hunk.label, predicted: speaks(hunk) })),
  );
  return {
    ...system,
    precision: figures.precision,
    recall: figures.recall,
    f1: figures.f1,
    prauc: averagePrecision(hunks.map((hunk) => ({ label: hunk.label, score: score(hunk) }))),
    speaks: figures.predicted,
  };
}

/**
 * The reviewer's where-model on the history stage's holdout, as bench:where scores a fold: fitted
 * (`fit`, e.g. `python3 -m trainer where fit`) on the pull requests opened before the holdout
 * with the comments made before it — never on a held-out one — then deciding on every hunk of
 * each held-out pull request the reviewer commented in, one pull request at a time as a review
 * would; beside the size rule (adds > {@link SIZE_RULE_ADDED_LINES} lines, fixed in advance) and
 * always-comment on the same hunks. Never throws: a fit that fails, or a history without the
 * holdout boundary or held-out files, gives `ran: false` and why.
 */
export async function evaluateWhereOnHoldout(params: {
  reviewerLogin: string;
  source: WhereSource;
  fit: Fit;
  log: Logger;
}): Promise<WhereEvaluation> {
  const { source } = params;
  const from = source.holdoutFrom;
  if (!from) {
    return {
      ran: false,
      reason:
        source.holdoutFrom === null
          ? "the history has no holdout"
          : "the history was collected before its holdout boundary was recorded: collect it again",
    };
  }
  const history = buildWhereHistory({
    reviewerLogin: params.reviewerLogin,
    pulls: source.pulls,
    pullFiles: source.pullFiles,
    rawComments: source.rawComments,
    kept: source.kept,
  });
  const heldOut = history.pulls.filter(
    (pull) => pull.createdAt >= from && pull.hunks.some((hunk) => hunk.commentTimes.length > 0),
  );
  const train = history.pulls.filter((pull) => pull.createdAt < from);
  if (heldOut.length === 0) {
    return {
      ran: false,
      reason: "no held-out pull request the reviewer commented in has its files in the history",
    };
  }
  if (train.length === 0) {
    return {
      ran: false,
      reason: "no pull request with its files before the holdout to learn from",
    };
  }
  try {
    const { hunks, folds } = await runWhereFolds({
      history,
      folds: [{ index: 0, boundary: from, train, heldOut }],
      fit: params.fit,
    });
    const [fold] = folds;
    if (!fold) throw new Error("the holdout fold did not run");
    const systems = [
      figuresOf(
        hunks,
        { id: "where-model", title: "where-model" },
        (hunk) => hunk.speaks,
        (hunk) => hunk.probability,
      ),
      figuresOf(
        hunks,
        { id: "size-rule", title: `size rule (adds > ${SIZE_RULE_ADDED_LINES} lines)` },
        (hunk) => hunk.adds > SIZE_RULE_ADDED_LINES,
        (hunk) => hunk.adds,
      ),
      figuresOf(
        hunks,
        { id: "always-comment", title: "always comment" },
        () => true,
        () => 1,
      ),
    ];
    return {
      ran: true,
      heldOutPulls: heldOut.length,
      hunks: hunks.length,
      commented: hunks.filter((hunk) => hunk.label === 1).length,
      trainedOn: fold.model.trainedOn,
      rule: fold.explanation,
      fitSeconds: fold.fitSeconds,
      systems,
    };
  } catch (error) {
    params.log.warn({ err: error }, "eval: the where-model could not be evaluated");
    return {
      ran: false,
      reason: `the where-model could not be fitted: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`,
    };
  }
}
