import { z } from "zod";
import { commitShaSchema, githubLoginSchema, repoNameSchema } from "./github-names.js";

const repositorySchema = z.object({
  installationId: z.number().int().positive(),
  owner: githubLoginSchema,
  repo: repoNameSchema,
  /** Where git fetches the repository from (the push payload's clone_url). No token in it. */
  cloneUrl: z.url(),
  /** The repository's web address, for commit and issue links in the report. */
  htmlUrl: z.url(),
  defaultBranch: z.string().min(1),
});

/**
 * The backports queue's jobs. `sync` (queued by a push to the default branch) reads
 * `.github/tech-lead-bot.yml` and keeps one repeatable `triage` job per listed stable branch;
 * `triage` judges the new commits for one stable branch. Ids and addresses only, never a token.
 */
export const backportsJobSchema = z.discriminatedUnion("kind", [
  repositorySchema.extend({ kind: z.literal("sync"), after: commitShaSchema }),
  repositorySchema.extend({ kind: z.literal("triage"), stable: z.string().min(1) }),
]);
export type BackportsJob = z.infer<typeof backportsJobSchema>;
export type BackportsTriageJob = Extract<BackportsJob, { kind: "triage" }>;

/** The id of a repository's scheduler for one stable branch (BullMQ forbids ":"). */
export function backportsSchedulerId(job: { owner: string; repo: string; stable: string }): string {
  return ["backports", job.owner.toLowerCase(), job.repo.toLowerCase(), job.stable].join("/");
}
