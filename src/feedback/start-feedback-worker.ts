import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { feedbackJobSchema } from "../../jobs/feedback-job.js";
import type { GitHubClient } from "../github/github-client.js";
import { createFateStore } from "./fate-store.js";
import { refreshPullFeedback } from "./refresh-pull-feedback.js";

/**
 * The feedback worker: for each queued pull request event, reads what people did with our
 * comments (thread states, reactions, changed lines) and records it. Runs beside the webhook
 * server, like the intake worker. Failures retry with backoff (rate limits, GitHub errors).
 */
export function startFeedbackWorker(params: {
  queueName: string;
  keyPrefix: string;
  connection: Redis;
  redis: Redis;
  auth: (installationId: number) => Promise<GitHubClient>;
  log: Logger;
}): Worker {
  const log = params.log.child({ name: "feedback" });
  const store = createFateStore({ redis: params.redis, keyPrefix: params.keyPrefix });
  return new Worker(
    params.queueName,
    async (job) => {
      const data = feedbackJobSchema.parse(job.data);
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
      return result;
    },
    { connection: params.connection, prefix: params.keyPrefix, concurrency: 4 },
  );
}
