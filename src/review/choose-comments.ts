import { commentFingerprintMarker } from "./fingerprint.js";
import { commentableLines, placementKey } from "./map-comment-line.js";
import type { DiffFile, Hunk } from "./parse-diff-hunks.js";
import type { ReviewComment } from "./post-review.js";
import type { ReadHunk } from "./read-hunks-with-model.js";
import { sanitiseComment } from "./sanitise-comment.js";
import { selectComments } from "./select-comments.js";

/** The comments to post and what was left out. */
export interface ChosenComments {
  comments: ReviewComment[];
  belowRate: number;
  overReviewCap: number;
  dropped: Record<string, number>;
  /** Held back by the feedback loop (they resemble down-voted or ignored comments). */
  heldBack: number;
}

/** The feedback loop's say on one candidate (src/feedback/prepare-review-feedback.ts). */
export type ScreenCandidate = (text: string) => {
  holdBack: boolean;
  preference: number;
  suffix: string;
};

/**
 * From the model's answers to the inline comments of the review: sanitised, ranked and capped by
 * {@link selectComments}, checked once more against the lines the diff really shows (a comment on
 * any other line would make GitHub refuse the whole review), each with its hunk's hidden
 * fingerprint.
 */
export function chooseComments(params: {
  read: readonly ReadHunk<{ hunk: Hunk; fingerprint: string }>[];
  files: readonly DiffFile[];
  reviewerCommentRate: number;
  maxComments: number;
  screen?: ScreenCandidate;
  /** Keep at most this many instead of the rate budget (the where-model decided where). */
  budget?: number;
}): ChosenComments {
  let heldBack = 0;
  const dropped: Record<string, number> = {};
  const drop = (reason: string) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1;
  };
  const candidates = params.read.flatMap(({ item, verdict }, order) => {
    if (verdict.kind !== "comment") return [];
    const sanitised = sanitiseComment(verdict.body);
    if (sanitised.kind === "empty") {
      drop("empty after removing markup");
      return [];
    }
    const screening = params.screen?.(sanitised.text);
    if (screening?.holdBack) {
      heldBack++;
      return [];
    }
    // Unscored answers stay unscored (they rank after scored ones).
    const score =
      verdict.score === undefined ? undefined : verdict.score + (screening?.preference ?? 0);
    return [{ item, verdict, order, text: sanitised.text, score, suffix: screening?.suffix ?? "" }];
  });
  const selection = selectComments({
    candidates,
    hunksRead: params.read.length,
    reviewerCommentRate: params.reviewerCommentRate,
    maxComments: params.maxComments,
    ...(params.budget === undefined ? {} : { budget: params.budget }),
  });
  const accepted = commentableLines(params.files);
  // GitHub shows review comments in the order given: keep the diff's order, not the ranking.
  const inDiffOrder = [...selection.selected].sort((a, b) => a.order - b.order);
  const comments: ReviewComment[] = [];
  for (const { item, verdict, text, suffix } of inDiffOrder) {
    const path = item.hunk.path;
    if (!accepted.has(placementKey(path, verdict.placement))) {
      drop("line not in the diff");
      continue;
    }
    comments.push({
      path,
      line: verdict.placement.line,
      side: verdict.placement.side,
      text,
      marker: commentFingerprintMarker(item.fingerprint),
      ...(suffix ? { suffix } : {}),
      hunkText: hunkAsText(item.hunk),
    });
  }
  return {
    comments,
    belowRate: selection.overRateCap.length,
    overReviewCap: selection.overReviewCap.length,
    dropped,
    heldBack,
  };
}

function hunkAsText(hunk: Hunk): string {
  const marker = { add: "+", del: "-", context: " " } as const;
  return [hunk.header, ...hunk.lines.map((line) => `${marker[line.kind]}${line.content}`)].join(
    "\n",
  );
}
