import { Probot, type Probot as ProbotInstance, Server } from "probot";
import { createQueueNames } from "../../jobs/queue-names.js";
import { findCommentEventProblems } from "../command/read-comment-event.js";
import { resolveGitHubUrls } from "../config/resolve-github-urls.js";
import { createObserveHandler } from "../observe/create-observe-handler.js";
import { measureJobs } from "../observe/measure-work.js";
import { startRegistrationServer } from "../register/start-registration-server.js";
import { closeRedis, connectRedis, isRedisAnswering } from "../store/connect-redis.js";
import { logQueueErrors } from "../store/log-queue-errors.js";
import { botOctokit } from "./bot-octokit.js";
import { createApp } from "./create-app.js";
import { createAuthStageFromEnv } from "./create-auth-stage-from-env.js";
import { createLogger } from "./create-logger.js";
import { loadOrExit } from "./exit-on-config-error.js";
import { withGuardedWebhooks } from "./guard-webhook-payloads.js";
import { loadConfig } from "./load-config.js";
import { dotEnvPath, loadDotEnv } from "./load-dot-env.js";
import { onShutdown } from "./on-shutdown.js";
import { openQueues } from "./open-queues.js";
import { readAppCredentials } from "./read-app-credentials.js";
import { readWebhookSecret } from "./read-webhook-secret.js";
import { startFeedbackWorker } from "./start-feedback-worker.js";
import { startCommandWorker } from "./start-workers.js";

loadDotEnv();
const credentials = loadOrExit(() => readAppCredentials());

if (!credentials) {
  // No app registered yet: serve the registration page, which creates the GitHub App from
  // app.yml (webhook and callback URLs from PUBLIC_URL / WEBHOOK_PROXY_URL) and writes its
  // credentials into .env. Restart afterwards.
  const log = await createLogger();
  const registration = await startRegistrationServer({
    env: process.env,
    envPath: dotEnvPath(),
    log,
  });
  onShutdown(log, () => registration.stop());
} else {
  const config = loadOrExit(() => loadConfig());
  const log = await createLogger();
  const redis = connectRedis(config.REDIS_URL, log);
  const names = createQueueNames();
  const queues = openQueues({ redis, names, prefix: config.QUEUE_PREFIX, log });
  const webhookSecret = loadOrExit(() => readWebhookSecret());
  if (webhookSecret.development) {
    log.warn(
      'DEVELOPMENT_MODE=true and no WEBHOOK_SECRET: webhooks signed with the well-known secret "development" are accepted; never expose this server',
    );
  }
  let probot: ProbotInstance | undefined;
  const server = new Server({
    ...(process.env.HOST ? { host: process.env.HOST } : {}),
    port: Number(process.env.PORT) || 3000,
    ...(process.env.WEBHOOK_PROXY_URL ? { webhookProxy: process.env.WEBHOOK_PROXY_URL } : {}),
    log,
    Probot: withGuardedWebhooks(
      Probot.defaults({
        ...credentials,
        secret: webhookSecret.secret,
        baseUrl: resolveGitHubUrls({
          gheHost: process.env.GHE_HOST,
          gheProtocol: process.env.GHE_PROTOCOL || undefined,
        }).apiUrl,
        log,
        Octokit: botOctokit(),
      }),
      { findProblems: findCommentEventProblems, log },
    ),
  });
  const auth = createAuthStageFromEnv({ config, redis });
  await server.load(
    createApp({
      config,
      redis,
      commandQueue: queues.commands,
      personaQueue: queues.personaRuns,
      pushQueue: queues.pushSummaries,
      feedbackQueue: queues.feedback,
      auth,
      onLoad: (app) => (probot = app),
    }),
  );
  server.addHandler(
    createObserveHandler({
      redis,
      queues: queues.all,
      llm: {
        baseUrl: config.LLM_BASE_URL,
        apiKey: config.LLM_API_KEY,
        baseModel: config.BASE_MODEL_NAME,
      },
      metricsToken: config.METRICS_TOKEN,
      adminToken: config.ADMIN_TOKEN,
    }),
  );
  await server.start();

  const commandWorker = startCommandWorker({
    config,
    queueName: names.commands,
    connection: connectRedis(config.REDIS_URL, log),
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
    connection: connectRedis(config.REDIS_URL, log),
    redis,
    auth: async (installationId) => {
      if (!probot) throw new Error("The Probot app is not loaded yet");
      return probot.auth(installationId);
    },
    feedbackQueue: queues.feedback,
    log,
  });
  logQueueErrors(log, [commandWorker, feedbackWorker]);
  measureJobs(commandWorker);
  measureJobs(feedbackWorker);

  onShutdown(log, async () => {
    await server.stop();
    // With Redis down nothing in hand can be saved: do not wait for it.
    const force = !(await isRedisAnswering(redis));
    await commandWorker.close(force);
    await feedbackWorker.close(force);
    await queues.close();
    await closeRedis(redis);
  });
}
