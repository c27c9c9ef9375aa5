import type { Queue } from "bullmq";
import { z } from "zod";
import {
  type FeedbackJob,
  feedbackJobId,
  feedbackJobSchema,
  SCHEDULED_READ_DELAY_MS,
} from "../../jobs/feedback-job.js";
import type { FateStore } from "../fates/fate-store.js";
import { extractFingerprints } from "../review/fingerprint.js";

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

const ownCommentEventSchema = z.object({
  installation: z.object({ id: z.number().int() }),
  repository: z.object({ name: z.string(), owner: z.object({ login: z.string() }) }),
  comment: z.object({
    body: z.string(),
    in_reply_to_id: z.number().int().optional().nullable(),
    user: z.object({ type: z.string() }),
  }),
  pull_request: z.object({ number: z.number().int(), head: z.object({ sha: z.string() }) }),
});

/**
 * The bot's own inline comment (`pull_request_review_comment.created` by a bot, carrying a
 * hunk fingerprint): schedules the first of the bounded reads of the PR's feedback, a day later.
 * Reactions on a PR nobody pushes to are learnt this way. All comments of one review share the
 * job (its id is per PR and round).
 */
export async function acceptOwnReviewComment(params: {
  payload: unknown;
  feedbackQueue: Queue;
}): Promise<FeedbackJob | undefined> {
  const parsed = ownCommentEventSchema.safeParse(params.payload);
  if (!parsed.success) return undefined;
  const event = parsed.data;
  if (event.comment.user.type !== "Bot" || event.comment.in_reply_to_id) return undefined;
  if (extractFingerprints(event.comment.body).length === 0) return undefined;
  const job = feedbackJobSchema.parse({
    installationId: event.installation.id,
    owner: event.repository.owner.login,
    repo: event.repository.name,
    pullNumber: event.pull_request.number,
    headSha: event.pull_request.head.sha,
    scheduledRound: 1,
  });
  await scheduleRead(params.feedbackQueue, job);
  return job;
}

/** Queues a scheduled read `SCHEDULED_READ_DELAY_MS` from now (no-op if that round is queued). */
export async function scheduleRead(queue: Queue, job: FeedbackJob): Promise<void> {
  await queue.add("feedback", job, {
    jobId: feedbackJobId(job),
    delay: SCHEDULED_READ_DELAY_MS,
    attempts: 3,
    backoff: { type: "exponential", delay: 60_000 },
    removeOnComplete: { age: 30 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  });
}
