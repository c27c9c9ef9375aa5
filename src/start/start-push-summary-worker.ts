import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { pushSummaryJobSchema } from "../../jobs/push-summary-job.js";
import { processPushSummaryJob } from "../feed/process-push-summary-job.js";
import { createLlmClient } from "../llm/create-llm-client.js";
import { loadReviewPrompts } from "../review/load-review-prompts.js";
import type { Config } from "./load-config.js";
import type { InstallationAuth } from "./start-workers.js";

/** The feed worker: one base-model line per push, for repositories that turned the feed on. */
export async function startPushSummaryWorker(params: {
  config: Config;
  queueName: string;
  /** A connection of its own: a BullMQ worker blocks on it while waiting for jobs. */
  connection: Redis;
  redis: Redis;
  auth: InstallationAuth;
  log: Logger;
}): Promise<Worker> {
  const { config } = params;
  const log = params.log.child({ name: "feed" });
  const templates = await loadReviewPrompts();
  const llm = createLlmClient({
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
  });
  return new Worker(
    params.queueName,
    async (job) => {
      const data = pushSummaryJobSchema.parse(job.data);
      return processPushSummaryJob({
        job: data,
        octokit: await params.auth(data.installationId),
        redis: params.redis,
        keyPrefix: config.QUEUE_PREFIX,
        llm,
        baseModel: config.BASE_MODEL_NAME,
        templates,
        budgetChars: config.LLM_MAX_HUNK_CHARS,
        log,
      });
    },
    { connection: params.connection, prefix: config.QUEUE_PREFIX, concurrency: 2 },
  );
}
