import { z } from "zod";
import type { GithubCaller } from "./call-github.js";
import { COMMENTS_PAGE_SIZE, REVIEWS_PAGE_SIZE } from "./fetch-reviewed-prs.js";
import { buildFollowUpQuery, type FollowUp } from "./graphql-queries.js";
import type { RawReviewComment } from "./history-records.js";
import {
  type CollectedPage,
  collectCommentPage,
  collectReviewPage,
  commentConnectionSchema,
  reviewConnectionSchema,
} from "./parse-review-nodes.js";

/** How many filled-up connections one follow-up query continues. */
export const FOLLOW_UPS_PER_QUERY = 20;

const followUpAnswerSchema = z.record(z.string(), z.unknown());

/**
 * Pages through every nested connection that filled up — more reviews of a pull request, more
 * comments of a review — batching up to {@link FOLLOW_UPS_PER_QUERY} of them into one query,
 * until none is left (a new review page can bring new full comment pages).
 *
 * @throws Error when a node is missing or GitHub's answer has an unexpected shape.
 */
export async function fetchFollowUps(params: {
  caller: GithubCaller;
  followUps: FollowUp[];
  reviewerLogin: string;
}): Promise<RawReviewComment[]> {
  const comments: RawReviewComment[] = [];
  let pending = [...params.followUps];
  while (pending.length > 0) {
    const batch = pending.slice(0, FOLLOW_UPS_PER_QUERY);
    pending = pending.slice(FOLLOW_UPS_PER_QUERY);
    const { query, variables } = buildFollowUpQuery({
      followUps: batch,
      reviewerLogin: params.reviewerLogin,
      reviewsPageSize: REVIEWS_PAGE_SIZE,
      commentsPageSize: COMMENTS_PAGE_SIZE,
    });
    const answer = followUpAnswerSchema.parse(await params.caller.graphql(query, variables));
    batch.forEach((followUp, index) => {
      const page = readFollowUpPage(followUp, answer[`f${index}`]);
      comments.push(...page.comments);
      pending.push(...page.followUps);
    });
  }
  return comments;
}

/**
 * The page a follow-up's node holds: the next reviews of a pull request, or the next comments
 * of a review.
 *
 * @throws Error when the pull request or review is gone from GitHub's answer.
 */
function readFollowUpPage(followUp: FollowUp, node: unknown): CollectedPage {
  if (followUp.kind === "reviews") {
    const parsed = z.object({ reviews: reviewConnectionSchema }).safeParse(node);
    if (!parsed.success) {
      throw new Error(`Pull request #${followUp.pullNumber} vanished while paging its reviews`);
    }
    return collectReviewPage({
      connection: parsed.data.reviews,
      pullId: followUp.pullId,
      pullNumber: followUp.pullNumber,
    });
  }
  const parsed = z.object({ comments: commentConnectionSchema }).safeParse(node);
  if (!parsed.success) {
    throw new Error(
      `A review on pull request #${followUp.pullNumber} vanished while paging its comments`,
    );
  }
  return collectCommentPage({
    connection: parsed.data.comments,
    reviewId: followUp.reviewId,
    pullNumber: followUp.pullNumber,
  });
}
