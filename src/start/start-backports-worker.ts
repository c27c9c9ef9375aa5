import type { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { backportsJobSchema } from "../../jobs/backports-job.js";
import { loadBackportPrompts } from "../backports/ask-llm-for-verdict.js";
import type { BackportsLlmConfig } from "../backports/backports-llm-config.js";
import type { BackportsWorkerConfig } from "../backports/backports-worker-config.js";
import { fitVerdictModel, learnerCommand } from "../backports/fit-verdict-model.js";
import { type BackportsOctokit, processBackportsJob } from "../backports/process-backports-job.js";
import type { TriageLlm } from "../backports/run-backports-triage.js";
import { createLlmClient } from "../llm/create-llm-client.js";
import { startJobWorker } from "./start-job-worker.js";

/**
 * The backports worker: schedule syncs and scheduled triage runs (src/backports). One job at a
 * time: a triage fetches a mirror and fits a model, and the machine has other work.
 */
export async function startBackportsWorker(params: {
  queue: Queue;
  queueName: string;
  prefix: string;
  /** A connection of its own: a BullMQ worker blocks on it while waiting for jobs. */
  connection: Redis;
  redis: Redis;
  config: BackportsWorkerConfig;
  llm: BackportsLlmConfig;
  auth: (installationId: number) => Promise<BackportsOctokit>;
  log: Logger;
  now?: () => Date;
}): Promise<Worker> {
  const log = params.log.child({ name: "backports" });
  const model = params.config.BACKPORTS_LLM_MODEL;
  let llm: TriageLlm;
  if (!model) llm = { missing: "BACKPORTS_LLM_MODEL is not set" };
  else if (!params.llm.LLM_BASE_URL) llm = { missing: "LLM_BASE_URL is not set" };
  else {
    llm = {
      client: createLlmClient({
        baseUrl: params.llm.LLM_BASE_URL,
        apiKey: params.llm.LLM_API_KEY,
        timeoutMs: params.llm.LLM_TIMEOUT_MS,
        maxRetries: params.llm.LLM_MAX_RETRIES,
      }),
      model,
      prompts: await loadBackportPrompts(),
    };
  }
  const command = learnerCommand(params.config.BACKPORTS_PYTHON);
  return startJobWorker({
    queueName: params.queueName,
    schema: backportsJobSchema,
    process: async (data, job) =>
      processBackportsJob({
        job: data,
        deps: {
          queue: params.queue,
          octokit: await params.auth(data.installationId),
          redis: params.redis,
          keyPrefix: params.prefix,
          dataDir: params.config.BACKPORTS_DIR,
          llm,
          fit: (rows) => fitVerdictModel({ rows, command }),
          log,
          now: params.now ?? (() => new Date()),
          onProgress: (message) => job.updateProgress({ message }),
        },
      }),
    options: { connection: params.connection, prefix: params.prefix, concurrency: 1 },
  });
}
