import { z } from "zod";
import type { GithubCaller } from "./call-github.js";
import { type FollowUp, searchPageQuery } from "./graphql-queries.js";
import type { RawReviewComment, ReviewedPull } from "./history-records.js";
import { collectReviewPage, pullNodeSchema } from "./parse-review-nodes.js";

/** Page sizes of the nested connections; their product stays far below GitHub's 500,000 nodes. */
export const REVIEWS_PAGE_SIZE = 25;
export const COMMENTS_PAGE_SIZE = 100;

const searchPageSchema = z.object({
  search: z.object({
    issueCount: z.number().int(),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    nodes: z.array(pullNodeSchema.nullable()),
  }),
});

/** One search page: pull requests with the reviewer's reviews and comments on them. */
export type ReviewedPullPage = {
  issueCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
  pulls: ReviewedPull[];
  comments: RawReviewComment[];
  followUps: FollowUp[];
};

/**
 * Fetches one page of the pull requests the reviewer reviewed, each with the reviewer's reviews
 * (GraphQL filters them by author) and their comments. Connections that filled up come back
 * as follow-ups for `fetchFollowUps`.
 *
 * @throws Error when GitHub's answer does not have the shape this query asks for.
 */
export async function fetchReviewedPullPage(params: {
  caller: GithubCaller;
  search: string;
  after: string | null;
  pageSize: number;
  reviewerLogin: string;
}): Promise<ReviewedPullPage> {
  const data = await params.caller.graphql(searchPageQuery, {
    search: params.search,
    after: params.after,
    pageSize: params.pageSize,
    reviewer: params.reviewerLogin,
    reviewsPageSize: REVIEWS_PAGE_SIZE,
    commentsPageSize: COMMENTS_PAGE_SIZE,
  });
  const parsed = searchPageSchema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`GitHub's search answer has an unexpected shape: ${parsed.error.message}`, {
      cause: parsed.error,
    });
  }
  const { search } = parsed.data;
  const page: ReviewedPullPage = {
    issueCount: search.issueCount,
    hasNextPage: search.pageInfo.hasNextPage,
    endCursor: search.pageInfo.endCursor,
    pulls: [],
    comments: [],
    followUps: [],
  };
  for (const pull of search.nodes) {
    if (!pull) continue;
    page.pulls.push({
      id: pull.id,
      number: pull.number,
      createdAt: pull.createdAt,
      authorLogin: pull.author?.login ?? null,
    });
    const reviews = collectReviewPage({
      connection: pull.reviews,
      pullId: pull.id,
      pullNumber: pull.number,
    });
    page.comments.push(...reviews.comments);
    page.followUps.push(...reviews.followUps);
  }
  return page;
}
