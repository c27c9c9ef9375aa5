import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { listServedModels } from "./list-served-models.js";

/**
 * Logs once, at start, whether this worker can do its work: Redis answers and the LLM server
 * (vLLM) serves the base model. A missing LLM is a warning, not a stop: jobs wait or fail with
 * the reason in the status comment, and vLLM may simply start later.
 */
export async function reportWorkerReadiness(params: {
  worker: string;
  redis: Redis;
  llm?: { baseUrl: string; apiKey: string; baseModel: string };
  log: Logger;
}): Promise<void> {
  const { log } = params;
  const redisOk = await Promise.race([
    params.redis.ping().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => setTimeout(resolve, 5_000, false).unref()),
  ]);
  const served = params.llm
    ? await listServedModels({ ...params.llm, timeoutMs: 5_000 })
    : undefined;
  if (served && !served.ok) {
    log.warn(
      { worker: params.worker, llmBaseUrl: params.llm?.baseUrl },
      `LLM not ready: ${served.problem}`,
    );
  }
  if (redisOk && (!served || served.ok)) {
    log.info(
      { worker: params.worker, ...(served?.ok ? { models: served.models } : {}) },
      `${params.worker} ready: Redis answers${served?.ok ? `, the LLM serves ${params.llm?.baseModel}` : ""}`,
    );
  } else {
    log.warn(
      { worker: params.worker },
      `${params.worker} started but not ready${redisOk ? "" : " (Redis does not answer: check REDIS_URL)"}; it picks jobs up as soon as what is missing answers`,
    );
  }
}
