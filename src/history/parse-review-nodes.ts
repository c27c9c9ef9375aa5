import { z } from "zod";
import type { FollowUp } from "./graphql-queries.js";
import { commentPlacementSchema, type RawReviewComment } from "./history-records.js";
import { inferSide } from "./infer-side.js";

const pageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

export const commentNodeSchema = z.object({
  id: z.string(),
  // `databaseId` is a 32-bit Int and fails for comments made since 2023 (GitHub deprecated it);
  // `fullDatabaseId` is a BigInt, sent as a string.
  fullDatabaseId: z.union([z.string().regex(/^\d+$/), z.number().int()]).nullable(),
  ...commentPlacementSchema.shape,
  createdAt: z.string(),
  outdated: z.boolean(),
  commit: z.object({ oid: z.string() }).nullable(),
  originalCommit: z.object({ oid: z.string() }).nullable(),
  replyTo: z.object({ id: z.string() }).nullable(),
  author: z.object({ __typename: z.string(), login: z.string() }).nullable(),
});

export const commentConnectionSchema = z.object({
  pageInfo: pageInfoSchema,
  nodes: z.array(commentNodeSchema.nullable()),
});

export const reviewNodeSchema = z.object({ id: z.string(), comments: commentConnectionSchema });

export const reviewConnectionSchema = z.object({
  pageInfo: pageInfoSchema,
  nodes: z.array(reviewNodeSchema.nullable()),
});

export const pullNodeSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  createdAt: z.string(),
  author: z.object({ login: z.string() }).nullable(),
  reviews: reviewConnectionSchema,
});

/** Turns one GraphQL comment node into the stored record, inferring its side from the hunk. */
export function toRawComment(
  node: z.infer<typeof commentNodeSchema>,
  pullNumber: number,
): RawReviewComment {
  return {
    id: node.id,
    databaseId: node.fullDatabaseId === null ? null : Number(node.fullDatabaseId),
    pullNumber,
    body: node.body,
    diffHunk: node.diffHunk,
    path: node.path,
    line: node.line,
    originalLine: node.originalLine,
    startLine: node.startLine,
    originalStartLine: node.originalStartLine,
    side: inferSide(node.diffHunk),
    createdAt: node.createdAt,
    commitOid: node.commit?.oid ?? null,
    originalCommitOid: node.originalCommit?.oid ?? null,
    outdated: node.outdated,
    replyToId: node.replyTo?.id ?? null,
    authorLogin: node.author?.login ?? null,
    authorIsBot: node.author?.__typename === "Bot" || /\[bot\]$/i.test(node.author?.login ?? ""),
  };
}

/** The comments one page of GitHub's answer held, and the follow-ups for what did not fit. */
export interface CollectedPage {
  comments: RawReviewComment[];
  followUps: FollowUp[];
}

/** Comments of one comment page, plus the follow-up needed when the page filled up. */
export function collectCommentPage(params: {
  connection: z.infer<typeof commentConnectionSchema>;
  reviewId: string;
  pullNumber: number;
}): CollectedPage {
  const { connection, reviewId, pullNumber } = params;
  const comments = connection.nodes.flatMap((node) =>
    node ? [toRawComment(node, pullNumber)] : [],
  );
  const followUps: FollowUp[] =
    connection.pageInfo.hasNextPage && connection.pageInfo.endCursor
      ? [{ kind: "comments", reviewId, pullNumber, after: connection.pageInfo.endCursor }]
      : [];
  return { comments, followUps };
}

/** Comments of one page of reviews, plus follow-ups for every connection that filled up. */
export function collectReviewPage(params: {
  connection: z.infer<typeof reviewConnectionSchema>;
  pullId: string;
  pullNumber: number;
}): CollectedPage {
  const { connection, pullId, pullNumber } = params;
  const comments: RawReviewComment[] = [];
  const followUps: FollowUp[] = [];
  for (const review of connection.nodes) {
    if (!review) continue;
    const page = collectCommentPage({
      connection: review.comments,
      reviewId: review.id,
      pullNumber,
    });
    comments.push(...page.comments);
    followUps.push(...page.followUps);
  }
  if (connection.pageInfo.hasNextPage && connection.pageInfo.endCursor) {
    followUps.push({ kind: "reviews", pullId, pullNumber, after: connection.pageInfo.endCursor });
  }
  return { comments, followUps };
}
