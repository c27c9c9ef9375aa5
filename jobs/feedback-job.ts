import { z } from "zod";
import { pullRequestAtHeadSchema } from "./github-names.js";

/**
 * A pull request event whose comments' fates need reading (`pull_request.synchronize` or
 * `closed`): ids only, as every job. The worker reads thread states and reactions with one
 * GraphQL request and compares the commented lines with the new head.
 */
export const feedbackJobSchema = z.object({
  ...pullRequestAtHeadSchema.shape,
  /** Set on `closed`: how the PR ended. */
  ended: z.enum(["merged", "closed"]).optional(),
  /** Set for the scheduled reads of an open PR: which one (1 = a day after the review). */
  scheduledRound: z.number().int().positive().optional(),
});
export type FeedbackJob = z.infer<typeof feedbackJobSchema>;

/** Same PR, head and ending → same job: a redelivered webhook adds nothing. No `:` inside. */
export function feedbackJobId(job: FeedbackJob): string {
  if (job.scheduledRound !== undefined) {
    // One scheduled read per PR and round, whatever the head: a review's 30 comments queue one.
    return ["feedback", job.owner, job.repo, job.pullNumber, "scheduled", job.scheduledRound].join(
      "-",
    );
  }
  return ["feedback", job.owner, job.repo, job.pullNumber, job.headSha, job.ended ?? "open"].join(
    "-",
  );
}

/** Scheduled reads of an open PR's feedback: one a day after the review, for a week at most. */
export const SCHEDULED_READ_DELAY_MS = 24 * 3600 * 1000;
export const SCHEDULED_READ_ROUNDS = 7;
