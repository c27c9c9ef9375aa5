import { Probot } from "probot";
import { createQueueNames } from "../../jobs/queue-names.js";
import { resolveGitHubUrls } from "../config/resolve-github-urls.js";
import { measureJobs } from "../observe/measure-work.js";
import { reportWorkerReadiness } from "../observe/report-worker-readiness.js";
import { serveWorkerMetrics } from "../observe/serve-worker-metrics.js";
import { startTrainingProgressRelay } from "../run/relay-training-progress.js";
import { closeRedis, connectRedis, isRedisAnswering } from "../store/connect-redis.js";
import { logQueueErrors } from "../store/log-queue-errors.js";
import { botOctokit } from "./bot-octokit.js";
import { createAuthStageFromEnv } from "./create-auth-stage-from-env.js";
import { createLogger } from "./create-logger.js";
import { createRunStages } from "./create-run-stages.js";
import { loadOrExit } from "./exit-on-config-error.js";
import { loadConfig } from "./load-config.js";
import { loadDotEnv } from "./load-dot-env.js";
import { onShutdown } from "./on-shutdown.js";
import { openQueues } from "./open-queues.js";
import { readAppCredentials } from "./read-app-credentials.js";
import { startPushSummaryWorker } from "./start-push-summary-worker.js";
import { startPersonaWorker, startPickupCheckWorker } from "./start-workers.js";

loadDotEnv();
const config = loadOrExit(() => loadConfig());
const log = await createLogger();
const credentials = loadOrExit(() => readAppCredentials());
if (!credentials) {
  log.fatal(
    "The worker needs the GitHub App's credentials: set APP_ID and PRIVATE_KEY_PATH (or PRIVATE_KEY). `npm start` writes them to .env when you register the app.",
  );
  process.exit(78);
}

const apiBaseUrl = resolveGitHubUrls({
  gheHost: config.GHE_HOST,
  gheProtocol: config.GHE_PROTOCOL,
}).apiUrl;
const probot = new Probot({ ...credentials, baseUrl: apiBaseUrl, log, Octokit: botOctokit() });
const redis = connectRedis(config.REDIS_URL, log);
const names = createQueueNames();
const auth = createAuthStageFromEnv({ config, redis });
const queues = openQueues({ redis, names, prefix: config.QUEUE_PREFIX, log });
const trainQueue = queues.trainAdapters;
const personaQueue = queues.personaRuns;
const stages = await createRunStages({
  config,
  auth,
  apiBaseUrl,
  installationClient: (installationId) => probot.auth(installationId),
  training: { trainQueue, pickupQueue: queues.trainPickupChecks },
});

const personaWorker = startPersonaWorker({
  config,
  queueName: names.personaRuns,
  connection: connectRedis(config.REDIS_URL, log),
  redis,
  auth: (installationId) => probot.auth(installationId),
  stages,
  personaQueue,
  log,
});
log.info({ queue: names.personaRuns }, "persona worker waiting for runs");
const metricsServer = await serveWorkerMetrics({
  port: config.METRICS_PORT,
  token: config.METRICS_TOKEN,
  log,
});
void reportWorkerReadiness({
  worker: "persona worker",
  redis,
  llm: {
    baseUrl: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    baseModel: config.BASE_MODEL_NAME,
  },
  log,
});
// Runs waiting for training: the pickup deadline, and training progress in their status comments.
const pickupWorker = startPickupCheckWorker({
  config,
  queueName: names.trainPickupChecks,
  connection: connectRedis(config.REDIS_URL, log),
  redis,
  trainQueue,
  personaQueue,
  log,
});
const progressRelay = startTrainingProgressRelay({
  trainQueueName: names.trainAdapters,
  queuePrefix: config.QUEUE_PREFIX,
  connection: connectRedis(config.REDIS_URL, log),
  redis,
  keyPrefix: config.QUEUE_PREFIX,
  auth: (installationId) => probot.auth(installationId),
  log,
});
// Pushes to repositories that turned the feed on: one line each for the dashboard.
const pushSummaryWorker = await startPushSummaryWorker({
  config,
  queueName: names.pushSummaries,
  connection: connectRedis(config.REDIS_URL, log),
  redis,
  auth: (installationId) => probot.auth(installationId),
  log,
});

logQueueErrors(log, [personaWorker, pickupWorker, pushSummaryWorker]);
measureJobs(personaWorker);
measureJobs(pushSummaryWorker);

onShutdown(log, async () => {
  metricsServer?.close();
  // With Redis down nothing in hand can be saved: do not wait for it.
  const force = !(await isRedisAnswering(redis));
  await personaWorker.close(force);
  await pushSummaryWorker.close(force);
  await pickupWorker.close(force);
  // QueueEvents.close() waits for a reconnect that may never come; exiting drops it anyway.
  if (!force) await progressRelay.close();
  await queues.close();
  await closeRedis(redis);
});
