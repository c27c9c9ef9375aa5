import { z } from "zod";
import { commitShaSchema, githubLoginSchema, repoNameSchema } from "./github-names.js";

/**
 * A pull request event whose comments' fates need reading (`pull_request.synchronize` or
 * `closed`): ids only, as every job. The worker reads thread states and reactions with one
 * GraphQL request and compares the commented lines with the new head.
 */
export const feedbackJobSchema = z.object({
  installationId: z.number().int().positive(),
  owner: githubLoginSchema,
  repo: repoNameSchema,
  pullNumber: z.number().int().positive(),
  headSha: commitShaSchema,
  /** Set on `closed`: how the PR ended. */
  ended: z.enum(["merged", "closed"]).optional(),
});
export type FeedbackJob = z.infer<typeof feedbackJobSchema>;

/** Same PR, head and ending → same job: a redelivered webhook adds nothing. No `:` inside. */
export function feedbackJobId(job: FeedbackJob): string {
  return ["feedback", job.owner, job.repo, job.pullNumber, job.headSha, job.ended ?? "open"].join(
    "-",
  );
}
