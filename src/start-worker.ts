import { Probot } from "probot";
import { createQueueNames } from "../jobs/queue-names.js";
import { githubUrls } from "./config/github-urls.js";
import { loadConfig } from "./config/load-config.js";
import type { RunStage } from "./run/process-persona-job.js";
import { createLogger } from "./start/create-logger.js";
import { loadOrExit } from "./start/exit-on-config-error.js";
import { loadDotEnv } from "./start/load-dot-env.js";
import { onShutdown } from "./start/on-shutdown.js";
import { readAppCredentials } from "./start/read-app-credentials.js";
import { startPersonaWorker } from "./start/start-workers.js";
import { connectRedis } from "./store/connect-redis.js";

loadDotEnv();
const config = loadOrExit(() => loadConfig());
const log = await createLogger();
const credentials = readAppCredentials();
if (!credentials) {
  log.fatal(
    "The worker needs the GitHub App's credentials: set APP_ID and PRIVATE_KEY_PATH (or PRIVATE_KEY). `npm start` writes them to .env when you register the app.",
  );
  process.exit(78);
}

const probot = new Probot({ ...credentials, baseUrl: githubUrls().apiBaseUrl, log });
const redis = connectRedis(config.REDIS_URL);
const names = createQueueNames();
const stages: RunStage[] = [];

const personaWorker = startPersonaWorker({
  config,
  queueName: names.personaRuns,
  connection: connectRedis(config.REDIS_URL),
  redis,
  auth: (installationId) => probot.auth(installationId),
  stages,
  log,
});
log.info({ queue: names.personaRuns }, "persona worker waiting for runs");

onShutdown(log, async () => {
  await personaWorker.close();
  await redis.quit();
});
