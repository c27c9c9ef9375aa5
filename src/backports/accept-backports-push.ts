import type { Queue } from "bullmq";
import type { Logger } from "pino";
import { z } from "zod";
import type { BackportsJob } from "../../jobs/backports-job.js";
import { PUSH_JOB_OPTIONS } from "../../jobs/queue-names.js";

const pushSchema = z.object({
  ref: z.string(),
  after: z.string().regex(/^[0-9a-f]{40}$/),
  deleted: z.boolean().optional(),
  installation: z.object({ id: z.number().int().positive() }),
  repository: z.object({
    name: z.string(),
    owner: z.object({ login: z.string().optional(), name: z.string().nullish() }),
    default_branch: z.string(),
    clone_url: z.url(),
    html_url: z.url(),
  }),
});

/**
 * The backports part of the `push` webhook: a push to the default branch (where
 * `.github/tech-lead-bot.yml` lives) queues one schedule sync, deduplicated by the pushed
 * commit. The sync job reads the config; nothing here talks to GitHub.
 */
export async function acceptBackportsPush(params: {
  payload: unknown;
  queue: Queue;
  log: Logger;
}): Promise<"queued" | "skipped"> {
  const parsed = pushSchema.safeParse(params.payload);
  if (!parsed.success) return "skipped";
  const push = parsed.data;
  const owner = push.repository.owner.login ?? push.repository.owner.name ?? "";
  if (push.deleted || owner === "" || push.ref !== `refs/heads/${push.repository.default_branch}`) {
    return "skipped";
  }
  const job: BackportsJob = {
    kind: "sync",
    installationId: push.installation.id,
    owner,
    repo: push.repository.name,
    cloneUrl: push.repository.clone_url,
    htmlUrl: push.repository.html_url,
    defaultBranch: push.repository.default_branch,
    after: push.after,
  };
  const jobId = ["backports-sync", owner, push.repository.name, push.after]
    .map((part) => part.toLowerCase())
    .join("/");
  await params.queue.add("sync", job, { jobId, ...PUSH_JOB_OPTIONS });
  params.log.info({ jobId }, "backport schedules to sync");
  return "queued";
}
