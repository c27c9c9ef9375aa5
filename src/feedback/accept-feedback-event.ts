import type { Queue } from "bullmq";
import { z } from "zod";
import { type FeedbackJob, feedbackJobId, feedbackJobSchema } from "../../jobs/feedback-job.js";
import type { FateStore } from "./fate-store.js";

const pullRequestEventSchema = z.object({
  action: z.string(),
  installation: z.object({ id: z.number().int() }),
  repository: z.object({ name: z.string(), owner: z.object({ login: z.string() }) }),
  pull_request: z.object({
    number: z.number().int(),
    merged: z.boolean().nullable().optional(),
    head: z.object({ sha: z.string() }),
  }),
});

/**
 * `pull_request.synchronize` / `closed` from the webhook: queues a feedback job when the PR has
 * comments of ours (Redis only, so the webhook is answered in milliseconds; a PR without our
 * comments costs nothing). The job id makes a redelivery a no-op.
 */
export async function acceptPullRequestEvent(params: {
  payload: unknown;
  store: FateStore;
  feedbackQueue: Queue;
}): Promise<FeedbackJob | undefined> {
  const event = pullRequestEventSchema.parse(params.payload);
  const owner = event.repository.owner.login;
  const repo = event.repository.name;
  const pullNumber = event.pull_request.number;
  const ours = await params.store.commentIdsOfPull({ owner, repo, pullNumber });
  if (ours.length === 0) return undefined;
  const job = feedbackJobSchema.parse({
    installationId: event.installation.id,
    owner,
    repo,
    pullNumber,
    headSha: event.pull_request.head.sha,
    ...(event.action === "closed"
      ? { ended: event.pull_request.merged ? "merged" : "closed" }
      : {}),
  });
  await params.feedbackQueue.add("feedback", job, {
    jobId: feedbackJobId(job),
    attempts: 5,
    backoff: { type: "exponential", delay: 60_000 },
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
  return job;
}
