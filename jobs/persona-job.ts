import { z } from "zod";
import { githubLoginSchema, pullRequestAtHeadSchema } from "./github-names.js";

/**
 * One persona run: review PR `pullNumber` at `headSha` the way `reviewerLogin` would. Ids only —
 * never a token, key or secret (BullMQ stores job data in clear text).
 */
export const personaJobSchema = z.object({
  ...pullRequestAtHeadSchema.shape,
  requesterLogin: githubLoginSchema,
  requesterId: z.number().int().positive(),
  reviewerLogin: githubLoginSchema,
  forceReload: z.boolean(),
  statusCommentId: z.number().int().positive(),
  /**
   * The second run of a mention that was reviewed few-shot while its adapter trained
   * (REVIEW_WHILE_TRAINING): it waits for the training job and reviews again with the adapter.
   * Absent on every other run, so jobs queued before this field existed still parse.
   */
  afterTraining: z.literal(true).optional(),
});

export type PersonaJob = z.infer<typeof personaJobSchema>;

/**
 * The id of the run that does this work: the same repository, PR, head SHA, reviewer and flag
 * is the same work (a follow-up after training gets an `/after-training` suffix). GitHub names are case-insensitive, so they are lowercased. `/` separates
 * the parts because no owner, repository or login can contain it, and BullMQ forbids `:`.
 */
export function personaJobId(
  job: Pick<
    PersonaJob,
    "owner" | "repo" | "pullNumber" | "headSha" | "reviewerLogin" | "forceReload" | "afterTraining"
  >,
): string {
  const mode = job.forceReload ? "reload" : "reuse";
  // The follow-up of a few-shot run is other work than that run: its own id, run marker, status.
  const parts = [
    "persona",
    job.owner,
    job.repo,
    job.pullNumber,
    job.headSha,
    job.reviewerLogin,
    mode,
    ...(job.afterTraining ? ["after-training"] : []),
  ];
  return parts.map((part) => String(part).toLowerCase()).join("/");
}
