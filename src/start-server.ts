import { Probot, type Probot as ProbotInstance, run, Server } from "probot";
import { createQueueNames } from "../jobs/queue-names.js";
import { loadConfig } from "./config/load-config.js";
import { resolveGitHubUrls } from "./config/resolve-github-urls.js";
import { startFeedbackWorker } from "./feedback/start-feedback-worker.js";
import { createApp } from "./index.js";
import { createAuthStageFromEnv } from "./start/create-auth-stage-from-env.js";
import { createLogger } from "./start/create-logger.js";
import { loadOrExit } from "./start/exit-on-config-error.js";
import { loadDotEnv } from "./start/load-dot-env.js";
import { onShutdown } from "./start/on-shutdown.js";
import { openQueues } from "./start/open-queues.js";
import { readAppCredentials } from "./start/read-app-credentials.js";
import { startCommandWorker } from "./start/start-workers.js";
import { connectRedis } from "./store/connect-redis.js";

loadDotEnv();
const credentials = readAppCredentials();

if (!credentials) {
  // No app registered yet: Probot serves its registration page, which creates the GitHub App
  // from app.yml and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET to .env. Restart afterwards.
  // In that mode Probot never calls the app function, so none is needed.
  await run(() => {});
} else {
  const config = loadOrExit(() => loadConfig());
  const log = await createLogger();
  const redis = connectRedis(config.REDIS_URL);
  const names = createQueueNames();
  const queues = openQueues({ redis, names, prefix: config.QUEUE_PREFIX });
  if (!process.env.WEBHOOK_SECRET && process.env.NODE_ENV === "production") {
    log.fatal("WEBHOOK_SECRET is not set: set it to the secret of your GitHub App's webhook");
    process.exit(78);
  }
  let probot: ProbotInstance | undefined;
  const server = new Server({
    ...(process.env.HOST ? { host: process.env.HOST } : {}),
    port: Number(process.env.PORT) || 3000,
    ...(process.env.WEBHOOK_PROXY_URL ? { webhookProxy: process.env.WEBHOOK_PROXY_URL } : {}),
    log,
    Probot: Probot.defaults({
      ...credentials,
      secret: process.env.WEBHOOK_SECRET ?? "development",
      baseUrl: resolveGitHubUrls({
        gheHost: process.env.GHE_HOST,
        gheProtocol: process.env.GHE_PROTOCOL || undefined,
      }).apiUrl,
      log,
    }),
  });
  const auth = createAuthStageFromEnv({ config, redis });
  await server.load(
    createApp({
      config,
      redis,
      commandQueue: queues.commands,
      personaQueue: queues.personaRuns,
      feedbackQueue: queues.feedback,
      auth,
      onLoad: (app) => (probot = app),
    }),
  );
  await server.start();

  const commandWorker = startCommandWorker({
    config,
    queueName: names.commands,
    connection: connectRedis(config.REDIS_URL),
    redis,
    personaQueue: queues.personaRuns,
    trainQueue: queues.trainAdapters,
    auth: async (installationId) => {
      if (!probot) throw new Error("The Probot app is not loaded yet");
      return probot.auth(installationId);
    },
    log,
  });

  const feedbackWorker = startFeedbackWorker({
    queueName: names.feedback,
    keyPrefix: config.QUEUE_PREFIX,
    connection: connectRedis(config.REDIS_URL),
    redis,
    auth: async (installationId) => {
      if (!probot) throw new Error("The Probot app is not loaded yet");
      return probot.auth(installationId);
    },
    feedbackQueue: queues.feedback,
    log,
  });

  onShutdown(log, async () => {
    await server.stop();
    await commandWorker.close();
    await feedbackWorker.close();
    await queues.close();
    await redis.quit();
  });
}
