import type { Worker } from "bullmq";
import { pushSummaryJobSchema } from "../../jobs/push-summary-job.js";
import { processPushSummaryJob } from "../feed/process-push-summary-job.js";
import { createLlmClient } from "../llm/create-llm-client.js";
import { loadReviewPrompts } from "../review/load-review-prompts.js";
import { startJobWorker } from "./start-job-worker.js";
import type { WorkerParams } from "./start-workers.js";

/** The feed worker: one base-model line per push, for repositories that turned the feed on. */
export async function startPushSummaryWorker(params: WorkerParams): Promise<Worker> {
  const { config } = params;
  const log = params.log.child({ name: "feed" });
  const templates = await loadReviewPrompts();
  const llm = createLlmClient({
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
  });
  return startJobWorker({
    queueName: params.queueName,
    schema: pushSummaryJobSchema,
    process: async (data) =>
      processPushSummaryJob({
        job: data,
        octokit: await params.auth(data.installationId),
        redis: params.redis,
        keyPrefix: config.QUEUE_PREFIX,
        llm,
        baseModel: config.BASE_MODEL_NAME,
        templates,
        budgetChars: config.LLM_MAX_HUNK_CHARS,
        log,
      }),
    options: { connection: params.connection, prefix: config.QUEUE_PREFIX, concurrency: 2 },
  });
}
