import type { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { feedbackJobSchema, SCHEDULED_READ_ROUNDS } from "../../jobs/feedback-job.js";
import { createFateStore } from "../fates/fate-store.js";
import { scheduleRead } from "../feedback/accept-feedback-event.js";
import { refreshPullFeedback } from "../feedback/refresh-pull-feedback.js";
import type { GitHubClient } from "../github/github-client.js";
import { startJobWorker } from "./start-job-worker.js";

/**
 * The feedback worker: for each queued pull request event, reads what people did with our
 * comments (thread states, reactions, changed lines) and records it. Runs beside the webhook
 * server, like the intake worker. Scheduled reads of an open PR repeat daily, at most
 * SCHEDULED_READ_ROUNDS times per PR. Failures retry with backoff (rate limits, GitHub errors).
 */
export function startFeedbackWorker(params: {
  queueName: string;
  keyPrefix: string;
  connection: Redis;
  redis: Redis;
  auth: (installationId: number) => Promise<GitHubClient>;
  /** The feedback queue itself: a scheduled read of a still-open PR queues the next round. */
  feedbackQueue: Queue;
  log: Logger;
}): Worker {
  const log = params.log.child({ name: "feedback" });
  const store = createFateStore({ redis: params.redis, keyPrefix: params.keyPrefix });
  return startJobWorker({
    queueName: params.queueName,
    schema: feedbackJobSchema,
    process: async (data) => {
      const result = await refreshPullFeedback({
        octokit: await params.auth(data.installationId),
        store,
        owner: data.owner,
        repo: data.repo,
        pullNumber: data.pullNumber,
        headSha: data.headSha,
        ...(data.ended ? { ended: data.ended } : {}),
      });
      log.info({ pr: data.pullNumber, ...result }, "feedback read");
      const round = data.scheduledRound;
      if (round !== undefined && round < SCHEDULED_READ_ROUNDS && result.pullState === "OPEN") {
        await scheduleRead(params.feedbackQueue, { ...data, scheduledRound: round + 1 });
      }
      return result;
    },
    options: { connection: params.connection, prefix: params.keyPrefix, concurrency: 4 },
  });
}
