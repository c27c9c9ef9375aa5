import { z } from "zod";
import { githubLoginSchema, repoNameSchema } from "./github-names.js";

/** Where the command was written, so the reply and the reaction go to the same place. */
export const commandSourceSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("issue_comment"),
    issueNumber: z.number().int().positive(),
    isPullRequest: z.boolean(),
  }),
  z.object({
    kind: z.literal("pull_request_review_comment"),
    pullNumber: z.number().int().positive(),
  }),
  z.object({
    kind: z.literal("discussion_comment"),
    discussionNodeId: z.string(),
    /** Set for top-level comments only: GitHub threads discussion replies one level deep. */
    replyToNodeId: z.string().optional(),
  }),
]);

/** What the command asked for, once parsed. */
export const commandRequestSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("review"),
    reviewerLogin: githubLoginSchema,
    forceReload: z.boolean(),
  }),
  /** `@bot forget <login>`: delete that reviewer's adapters and cached history in this repo. */
  z.object({ kind: z.literal("forget"), reviewerLogin: githubLoginSchema }),
  z.object({ kind: z.literal("usage"), problem: z.string().max(300) }),
  z.object({ kind: z.literal("pull-requests-only") }),
]);

/**
 * A command taken from a webhook. Ids and parsed arguments only: BullMQ keeps job data in
 * clear text in Redis, so nothing secret ever goes here.
 */
export const commandJobSchema = z.object({
  deliveryId: z.string().min(1),
  installationId: z.number().int().positive(),
  owner: githubLoginSchema,
  repo: repoNameSchema,
  commentId: z.number().int().positive(),
  commenterLogin: z.string().min(1),
  /** GitHub user id: logins can be renamed, ids cannot (the token vault is keyed by it). */
  commenterId: z.number().int().positive(),
  source: commandSourceSchema,
  request: commandRequestSchema,
});

export type CommandJob = z.infer<typeof commandJobSchema>;
export type CommandRequest = z.infer<typeof commandRequestSchema>;

/** One command job per comment, however often GitHub delivers it. */
export function commandJobId(commentKind: string, commentId: number): string {
  return `${commentKind}-${commentId}`;
}
