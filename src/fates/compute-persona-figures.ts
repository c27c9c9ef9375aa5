import { type CommentFate, wasIgnored } from "./comment-fate.js";

/** What people did with a persona's comments, over some set of them. */
export interface FeedbackFigures {
  comments: number;
  reviews: number;
  commentsPerReview: number;
  addressed: number;
  /** addressed / comments (0 when there are none). */
  addressedRate: number;
  resolved: number;
  resolvedRate: number;
  thumbsUp: number;
  thumbsDown: number;
  /** Reactions other than 👍 and 👎, summed. */
  otherReactions: number;
  /** Human replies, all threads together. */
  replies: number;
  /** Comments with at least one reply. */
  repliedComments: number;
  /** Comments on merged PRs that nobody acted on. */
  ignored: number;
}

/** The figures of one set of comments. Pure: rates are rounded to 3 decimals. */
export function computeFeedbackFigures(fates: readonly CommentFate[]): FeedbackFigures {
  const count = (test: (fate: CommentFate) => boolean) => fates.filter(test).length;
  const sum = (pick: (fate: CommentFate) => number) =>
    fates.reduce((total, fate) => total + pick(fate), 0);
  const comments = fates.length;
  const reviews = new Set(fates.map((fate) => fate.comment.reviewId)).size;
  const addressed = count((fate) => fate.addressed);
  const resolved = count((fate) => fate.resolved);
  const rate = (n: number) => (comments === 0 ? 0 : Math.round((n / comments) * 1000) / 1000);
  return {
    comments,
    reviews,
    commentsPerReview: reviews === 0 ? 0 : Math.round((comments / reviews) * 100) / 100,
    addressed,
    addressedRate: rate(addressed),
    resolved,
    resolvedRate: rate(resolved),
    thumbsUp: sum((fate) => fate.reactions.THUMBS_UP ?? 0),
    thumbsDown: sum((fate) => fate.reactions.THUMBS_DOWN ?? 0),
    otherReactions: sum((fate) =>
      Object.entries(fate.reactions)
        .filter(([content]) => content !== "THUMBS_UP" && content !== "THUMBS_DOWN")
        .reduce((total, [, n]) => total + n, 0),
    ),
    replies: sum((fate) => fate.replies.length),
    repliedComments: count((fate) => fate.replies.length > 0),
    ignored: count(wasIgnored),
  };
}
