import type { Logger } from "pino";
import type { CleanComment } from "../history/clean-comments.js";
import type { PullFiles, RawReviewComment, ReviewedPull } from "../history/history-records.js";
import { buildWhereHistory } from "./build-where-history.js";
import { buildWhereRows } from "./build-where-rows.js";
import { fitWhereModel } from "./fit-where-model.js";
import { summariseReviewerHistory } from "./summarise-reviewer-history.js";
import type { WhereModel } from "./where-model.js";

/**
 * Fits a reviewer's where-model on their whole collected history (every hunk of every pull
 * request they took part in that has a file listing) and attaches the summary of that history
 * the review computes features from. Seconds on a CPU (`python3 -m trainer where fit`).
 *
 * @returns undefined when the history holds no hunk at all (no file listings were kept).
 * @throws Error when the fit fails (e.g. no python3 with scikit-learn).
 */
export async function fitReviewerWhereModel(params: {
  reviewerLogin: string;
  pulls: readonly ReviewedPull[];
  pullFiles: readonly PullFiles[];
  rawComments: readonly RawReviewComment[];
  kept: readonly CleanComment[];
  now: string;
  fitCommand?: readonly string[];
  log: Logger;
}): Promise<{ model: WhereModel; seconds: number; rows: number } | undefined> {
  const history = buildWhereHistory(params);
  const rows = buildWhereRows({ history, pulls: history.pulls, labelsBefore: params.now });
  if (rows.length === 0) return undefined;
  const { model, seconds } = await fitWhereModel({
    rows,
    mode: "balanced",
    ...(params.fitCommand ? { command: params.fitCommand } : {}),
  });
  const summary = summariseReviewerHistory({ history, before: params.now });
  params.log.info(
    { rows: rows.length, decision: model.decision.kind, seconds },
    "where-model fitted",
  );
  return { model: { ...model, summary }, seconds, rows: rows.length };
}
