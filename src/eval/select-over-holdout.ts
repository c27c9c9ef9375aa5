import { createHash } from "node:crypto";
import type { CommentPlacement } from "../review/map-comment-line.js";
import type { Hunk } from "../review/parse-diff-hunks.js";
import type { ReadHunk } from "../review/read-hunks-with-model.js";
import { sanitiseComment } from "../review/sanitise-comment.js";
import { rankByScore } from "../review/select-comments.js";
import type { HoldoutExample } from "./read-holdout.js";

/** What one system says about one holdout hunk after selection: the comment a user would see. */
export type HoldoutPrediction =
  | { commented: false }
  | { commented: true; text: string; placement: CommentPlacement };

/**
 * The review stage's choice of where to speak, over the whole holdout: comments sanitised as
 * posted, ranked by 1 − P(no comment), at most `budget` kept (the caller states it: see
 * {@link holdoutBudget}). The review's
 * 30-comment cap is a per-pull-request GitHub limit; a holdout spans many pull requests, so it
 * does not apply here. Hunks the model did not answer for (and those it answered nothing for)
 * are predicted silent, as a review would leave them. Equal scores (or none, without
 * log-probabilities) are broken by a hash of the hunk, not by the holdout's order.
 */
export function selectOverHoldout(params: {
  read: readonly ReadHunk<{ example: HoldoutExample; hunk: Hunk }>[];
  holdoutSize: number;
  /** Most comments kept over the whole holdout. */
  budget: number;
}): HoldoutPrediction[] {
  const candidates = params.read.flatMap(({ item, verdict }) => {
    if (verdict.kind !== "comment") return [];
    const sanitised = sanitiseComment(verdict.body);
    if (sanitised.kind === "empty") return [];
    return [
      {
        index: item.example.index,
        tieBreak: tieBreakKey(item.hunk),
        text: sanitised.text,
        placement: verdict.placement,
        score: verdict.score,
      },
    ];
  });
  const predictions: HoldoutPrediction[] = Array.from({ length: params.holdoutSize }, () => ({
    commented: false,
  }));
  // The dataset lists comments before silent hunks; ties in score must not follow that order.
  const shuffled = [...candidates].sort((a, b) => a.tieBreak.localeCompare(b.tieBreak));
  for (const { index, text, placement } of rankByScore(shuffled).slice(
    0,
    Math.max(0, params.budget),
  )) {
    predictions[index] = { commented: true, text, placement };
  }
  return predictions;
}

function tieBreakKey(hunk: Hunk): string {
  return createHash("sha256")
    .update(`${hunk.path}\n${hunk.header}\n${JSON.stringify(hunk.lines)}`)
    .digest("hex");
}

/**
 * The comment budget of an evaluation: `comments` when given, else ceil(comment rate × holdout
 * hunks), as a review applies the reviewer's rate to the hunks it reads. Never a silent default:
 * the caller must give one of the two.
 */
export function holdoutBudget(params: {
  holdoutSize: number;
  reviewerCommentRate: number;
  comments?: number | undefined;
}): { comments: number; rule: string } {
  if (params.comments !== undefined) {
    return { comments: params.comments, rule: `${params.comments} comments (given)` };
  }
  const comments = Math.ceil(Math.max(0, params.reviewerCommentRate) * params.holdoutSize);
  const rate = Math.round(params.reviewerCommentRate * 1000) / 1000;
  return { comments, rule: `⌈${rate} × ${params.holdoutSize} hunks⌉ = ${comments} comments` };
}
