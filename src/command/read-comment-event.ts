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

/** The comment webhooks the bot acts on, and the schema each payload must meet. */
const HANDLED_EVENTS: Record<string, z.ZodType> = {
  issue_comment: issueCommentSchema,
  pull_request_review_comment: reviewCommentSchema,
  discussion_comment: discussionCommentSchema,
};

/**
 * What is wrong with a webhook the bot acts on (a `*.created` comment), one entry per bad
 * field, e.g. "`installation`: Invalid input"; empty when the bot can use it or ignores the event.
 */
export function findCommentEventProblems(name: string, payload: unknown): string[] {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    return ["the payload is not a JSON object"];
  const schema = HANDLED_EVENTS[name];
  if (!schema || (payload as { action?: unknown }).action !== "created") return [];
  const result = schema.safeParse(payload);
  return result.success
    ? []
    : result.error.issues.map((issue) => `\`${issue.path.join(".")}\`: ${issue.message}`);
}

/**
 * Reads a `*.created` comment webhook into a {@link CommentEvent}.
 * @throws when the payload lacks a field the bot relies on (e.g. no installation: the app is
 * not installed through GitHub Apps).
 */
export function readCommentEvent(name: string, payload: unknown): CommentEvent {
  const problems = findCommentEventProblems(name, payload);
  if (problems.length > 0) throw new WebhookPayloadError(name, problems);
  return readValidCommentEvent(name, payload);
}

/**
 * A webhook payload without the fields the bot relies on. `status` makes the webhook middleware
 * answer 400 (a request problem), not 500.
 */
export class WebhookPayloadError extends Error {
  override name = "WebhookPayloadError";
  readonly status = 400;
  constructor(eventName: string, problems: string[]) {
    super(`Unusable ${eventName} payload: ${problems.join("; ")}`);
  }
}

function readValidCommentEvent(name: string, payload: unknown): CommentEvent {
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
