import { z } from "zod";

/** Whose comments these are: a reviewer's persona in one repository, per adapter version. */
export interface Persona {
  owner: string;
  repo: string;
  reviewerLogin: string;
}

/** "v3" for adapter version 3, "few-shot" for reviews by the base model with examples. */
export type ModelVersionLabel = string;

/** A comment the bot posted, as recorded right after posting. */
export const postedCommentSchema = z.object({
  commentId: z.number().int().positive(),
  owner: z.string(),
  repo: z.string(),
  reviewerLogin: z.string(),
  modelVersion: z.string(),
  pullNumber: z.number().int().positive(),
  reviewId: z.number().int().positive(),
  path: z.string(),
  line: z.number().int().positive(),
  side: z.enum(["LEFT", "RIGHT"]),
  commitId: z.string(),
  /** The visible comment text (without the hidden marker). */
  text: z.string(),
  /** The hunk the comment was made on (unified diff hunk), for the retraining signal. */
  hunk: z.string(),
  postedAt: z.string(),
});
export type PostedComment = z.infer<typeof postedCommentSchema>;

/** A person's reply in the thread of one of our comments. */
export const replySchema = z.object({
  replyId: z.number().int(),
  login: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
export type Reply = z.infer<typeof replySchema>;

/** Everything people did with one posted comment, as far as the bot has seen. */
export interface CommentFate {
  comment: PostedComment;
  /** A later push changed the commented line before merge. */
  addressed: boolean;
  /** How `addressed` was decided ("line changed", "outdated; compare unavailable"), if it was. */
  addressedBy?: string;
  /** GitHub marks the thread outdated (its line moved or changed). */
  outdated: boolean;
  /** The thread's current state. */
  resolved: boolean;
  replies: Reply[];
  /** Reaction counts on the comment by GraphQL ReactionContent (THUMBS_UP, THUMBS_DOWN, …). */
  reactions: Record<string, number>;
  /** How the pull request ended, once it did. */
  pullState?: "merged" | "closed";
}

/** People reacted, replied, resolved or changed the line: the comment was not ignored. */
export function wasActedOn(fate: CommentFate): boolean {
  const reacted = Object.values(fate.reactions).some((count) => count > 0);
  return fate.addressed || fate.resolved || fate.replies.length > 0 || reacted;
}

/** The PR merged and nobody did anything with the comment. */
export function wasIgnored(fate: CommentFate): boolean {
  return fate.pullState === "merged" && !wasActedOn(fate);
}

/** Down-voted (more 👎 than 👍) or ignored: what the persona should not say again. */
export function isNegative(fate: CommentFate): boolean {
  const up = fate.reactions.THUMBS_UP ?? 0;
  const down = fate.reactions.THUMBS_DOWN ?? 0;
  return down > up || wasIgnored(fate);
}

/** Addressed or up-voted, and not down-voted: what the persona should keep saying. */
export function isPositive(fate: CommentFate): boolean {
  const up = fate.reactions.THUMBS_UP ?? 0;
  const down = fate.reactions.THUMBS_DOWN ?? 0;
  return (fate.addressed || up > down) && down <= up;
}
