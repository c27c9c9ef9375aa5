import { z } from "zod";
import { commitShaSchema, githubLoginSchema, repoNameSchema } from "./github-names.js";

/**
 * One push to summarise for the repository's feed. Ids only, like every job payload: the worker
 * reads the commits and the diff from GitHub.
 */
export const pushSummaryJobSchema = z.object({
  installationId: z.number().int().positive(),
  owner: githubLoginSchema,
  repo: repoNameSchema,
  /** The branch name, without `refs/heads/`. */
  branch: z.string().min(1),
  defaultBranch: z.string().min(1),
  /** All zeros when the push created the branch. */
  before: commitShaSchema,
  after: commitShaSchema,
  forced: z.boolean(),
  pusherLogin: githubLoginSchema,
  /** When the push happened (the head commit's time, else when the webhook arrived), ISO. */
  pushedAt: z.iso.datetime({ offset: true }),
  /** The pushed commits, oldest first, as GitHub's payload lists them (at most 20). */
  commitShas: z.array(commitShaSchema).max(2048),
});

export type PushSummaryJob = z.infer<typeof pushSummaryJobSchema>;

/**
 * The same repository moving from `before` to `after` is the same push, however often GitHub
 * delivers it. Lowercased; `/` separates the parts (BullMQ forbids `:`).
 */
export function pushSummaryJobId(
  job: Pick<PushSummaryJob, "owner" | "repo" | "before" | "after">,
): string {
  return ["push", job.owner, job.repo, job.before, job.after]
    .map((part) => part.toLowerCase())
    .join("/");
}
