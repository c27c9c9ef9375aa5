import { z } from "zod";

const userSchema = z.object({
  id: z.number().int().positive(),
  login: z.string(),
  type: z.string(),
});
const repositorySchema = z.object({ name: z.string(), owner: z.object({ login: z.string() }) });
const installationSchema = z.object({ id: z.number().int().positive() });

const issueCommentSchema = z.object({
  action: z.string(),
  installation: installationSchema,
  repository: repositorySchema,
  issue: z.object({ number: z.number().int().positive(), pull_request: z.unknown().optional() }),
  comment: z.object({
    id: z.number().int().positive(),
    body: z.string().nullable(),
    user: userSchema,
  }),
});

const reviewCommentSchema = z.object({
  action: z.string(),
  installation: installationSchema,
  repository: repositorySchema,
  pull_request: z.object({ number: z.number().int().positive() }),
  comment: z.object({ id: z.number().int().positive(), body: z.string(), user: userSchema }),
});

const discussionCommentSchema = z.object({
  action: z.string(),
  installation: installationSchema,
  repository: repositorySchema,
  discussion: z.object({ node_id: z.string() }),
  comment: z.object({
    id: z.number().int().positive(),
    node_id: z.string(),
    parent_id: z.number().nullable().optional(),
    body: z.string(),
    user: userSchema,
  }),
});

/** The fields of a comment webhook the bot relies on, whatever the event. */
export interface CommentEvent {
  installationId: number;
  owner: string;
  repo: string;
  commentId: number;
  body: string;
  author: { id: number; login: string; isBot: boolean };
  source:
    | { kind: "issue_comment"; issueNumber: number; isPullRequest: boolean }
    | { kind: "pull_request_review_comment"; pullNumber: number }
    | { kind: "discussion_comment"; discussionNodeId: string; replyToNodeId?: string };
}

/**
 * Reads a `*.created` comment webhook into a {@link CommentEvent}.
 * @throws when the payload lacks a field the bot relies on (e.g. no installation: the app is
 * not installed through GitHub Apps).
 */
export function readCommentEvent(name: string, payload: unknown): CommentEvent {
  if (name === "issue_comment") {
    const event = issueCommentSchema.parse(payload);
    return {
      ...common(event),
      source: {
        kind: "issue_comment",
        issueNumber: event.issue.number,
        isPullRequest: event.issue.pull_request != null,
      },
    };
  }
  if (name === "pull_request_review_comment") {
    const event = reviewCommentSchema.parse(payload);
    return {
      ...common(event),
      source: { kind: "pull_request_review_comment", pullNumber: event.pull_request.number },
    };
  }
  if (name === "discussion_comment") {
    const event = discussionCommentSchema.parse(payload);
    return {
      ...common(event),
      source: {
        kind: "discussion_comment",
        discussionNodeId: event.discussion.node_id,
        ...(event.comment.parent_id == null ? { replyToNodeId: event.comment.node_id } : {}),
      },
    };
  }
  throw new Error(`readCommentEvent: unsupported event "${name}"`);
}

function common(
  event:
    | z.infer<typeof issueCommentSchema>
    | z.infer<typeof reviewCommentSchema>
    | z.infer<typeof discussionCommentSchema>,
) {
  return {
    installationId: event.installation.id,
    owner: event.repository.owner.login,
    repo: event.repository.name,
    commentId: event.comment.id,
    body: event.comment.body ?? "",
    author: {
      id: event.comment.user.id,
      login: event.comment.user.login,
      // Apps comment as "Bot" users named `<slug>[bot]`; ignoring them also ignores ourselves.
      isBot: event.comment.user.type === "Bot" || event.comment.user.login.endsWith("[bot]"),
    },
  };
}
