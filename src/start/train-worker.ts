import { Queue } from "bullmq";
import { createQueueNames } from "../../jobs/queue-names.js";
import { reportWorkerReadiness } from "../observe/report-worker-readiness.js";
import { closeRedis, connectRedis } from "../store/connect-redis.js";
import { logQueueErrors } from "../store/log-queue-errors.js";
import { createAdapterEvaluator } from "../train/evaluate-new-adapter.js";
import { createLogger } from "./create-logger.js";
import { loadOrExit } from "./exit-on-config-error.js";
import { loadDotEnv } from "./load-dot-env.js";
import { loadTrainerHostConfig } from "./load-trainer-host-config.js";
import { onShutdown } from "./on-shutdown.js";
import { startTrainWorker } from "./start-train-worker.js";

// `npm run worker:train` on a GPU host: one training job at a time, for this host's one GPU.
loadDotEnv();
const config = loadOrExit(() => loadTrainerHostConfig());
const log = await createLogger();
const redis = connectRedis(config.REDIS_URL, log);
const names = createQueueNames();
const personaQueue = new Queue(names.personaRuns, {
  connection: redis,
  prefix: config.QUEUE_PREFIX,
});
const trainer = startTrainWorker({
  queueName: names.trainAdapters,
  queuePrefix: config.QUEUE_PREFIX,
  connection: connectRedis(config.REDIS_URL, log),
  redis,
  personaQueue,
  config,
  log,
  ...(config.EVALUATE_AFTER_TRAINING ? { evaluate: createAdapterEvaluator(config) } : {}),
});
log.info(
  { queue: names.trainAdapters, adaptersDir: config.ADAPTERS_DIR, trainer: config.TRAINER_COMMAND },
  "training worker waiting for jobs",
);
void reportWorkerReadiness({
  worker: "training worker",
  redis,
  ...(config.EVALUATE_AFTER_TRAINING
    ? {
        llm: {
          baseUrl: config.LLM_BASE_URL,
          apiKey: config.LLM_API_KEY,
          baseModel: config.BASE_MODEL_NAME,
        },
      }
    : {}),
  log,
});

logQueueErrors(log, [personaQueue]);

onShutdown(log, async () => {
  await trainer.close();
  await personaQueue.close();
  await closeRedis(redis);
});
