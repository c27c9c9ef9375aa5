import { z } from "zod";
import { commitShaSchema, githubLoginSchema, repoNameSchema } from "./github-names.js";

/**
 * One persona run: review PR `pullNumber` at `headSha` the way `reviewerLogin` would. Ids only —
 * never a token, key or secret (BullMQ stores job data in clear text).
 */
export const personaJobSchema = z.object({
  installationId: z.number().int().positive(),
  owner: githubLoginSchema,
  repo: repoNameSchema,
  pullNumber: z.number().int().positive(),
  headSha: commitShaSchema,
  requesterLogin: githubLoginSchema,
  requesterId: z.number().int().positive(),
  reviewerLogin: githubLoginSchema,
  forceReload: z.boolean(),
  statusCommentId: z.number().int().positive(),
});

export type PersonaJob = z.infer<typeof personaJobSchema>;

/**
 * The id of the run that does this work: the same repository, PR, head SHA, reviewer and flag
 * is the same work. GitHub names are case-insensitive, so they are lowercased. `/` separates
 * the parts because no owner, repository or login can contain it, and BullMQ forbids `:`.
 */
export function personaJobId(
  job: Pick<
    PersonaJob,
    "owner" | "repo" | "pullNumber" | "headSha" | "reviewerLogin" | "forceReload"
  >,
): string {
  const mode = job.forceReload ? "reload" : "reuse";
  return ["persona", job.owner, job.repo, job.pullNumber, job.headSha, job.reviewerLogin, mode]
    .map((part) => String(part).toLowerCase())
    .join("/");
}
