import { z } from "zod";

/**
 * ONE GraphQL request per pull request event reads, for every review thread of the PR, whether
 * it is resolved or outdated and the reactions on its first comment (ours, when the thread is
 * ours). GitHub sends no webhook for reactions, so this is how they are learnt. 100 threads is
 * GitHub's page limit; a PR with more threads is read for its first 100 only (see the README).
 */
export const COMMENT_FEEDBACK_QUERY = /* GraphQL */ `
  query CommentFeedback($owner: String!, $repo: String!, $number: Int!) {
    repository(owner: $owner, name: $repo) {
      pullRequest(number: $number) {
        state
        headRefOid
        reviewThreads(first: 100) {
          nodes {
            isResolved
            isOutdated
            comments(first: 1) {
              nodes {
                databaseId
                reactionGroups {
                  content
                  reactors {
                    totalCount
                  }
                }
              }
            }
          }
        }
      }
    }
    rateLimit {
      cost
      remaining
    }
  }
`;

export const commentFeedbackResponseSchema = z.object({
  repository: z
    .object({
      pullRequest: z
        .object({
          state: z.string().optional(),
          headRefOid: z.string().optional(),
          reviewThreads: z.object({
            nodes: z.array(
              z
                .object({
                  isResolved: z.boolean(),
                  isOutdated: z.boolean(),
                  comments: z.object({
                    nodes: z.array(
                      z
                        .object({
                          databaseId: z.number().int().nullable(),
                          reactionGroups: z
                            .array(
                              z.object({
                                content: z.string(),
                                reactors: z.object({ totalCount: z.number().int() }),
                              }),
                            )
                            .nullable(),
                        })
                        .nullable(),
                    ),
                  }),
                })
                .nullable(),
            ),
          }),
        })
        .nullable(),
    })
    .nullable(),
});

/** Per root comment id: thread state and reaction counts (zero counts left out). */
export interface ThreadFeedback {
  resolved: boolean;
  outdated: boolean;
  reactions: Record<string, number>;
}

/** The PR's state and head as the same answer has them (absent if GitHub gave none). */
export function readPullState(data: unknown): { state?: string; headSha?: string } {
  const pull = commentFeedbackResponseSchema.parse(data).repository?.pullRequest;
  return {
    ...(pull?.state ? { state: pull.state } : {}),
    ...(pull?.headRefOid ? { headSha: pull.headRefOid } : {}),
  };
}

/** Turns the query's answer into feedback per root comment id. */
export function readThreadFeedback(data: unknown): Map<number, ThreadFeedback> {
  const parsed = commentFeedbackResponseSchema.parse(data);
  const threads = parsed.repository?.pullRequest?.reviewThreads.nodes ?? [];
  const byComment = new Map<number, ThreadFeedback>();
  for (const thread of threads) {
    const root = thread?.comments.nodes[0];
    if (!thread || !root?.databaseId) continue;
    const reactions: Record<string, number> = {};
    for (const group of root.reactionGroups ?? []) {
      if (group.reactors.totalCount > 0) reactions[group.content] = group.reactors.totalCount;
    }
    byComment.set(root.databaseId, {
      resolved: thread.isResolved,
      outdated: thread.isOutdated,
      reactions,
    });
  }
  return byComment;
}
