import { Probot } from "probot";
import { createQueueNames } from "../jobs/queue-names.js";
import { createAuthStage } from "./auth/create-auth-stage.js";
import { loadConfig } from "./config/load-config.js";
import { resolveGitHubUrls } from "./config/resolve-github-urls.js";
import { createLlmClient } from "./llm/create-llm-client.js";
import { loadPrompts } from "./prompts/load-prompts.js";
import { loadReviewPrompts } from "./review/load-review-prompts.js";
import { readRepoConfigFile } from "./review/repo-config.js";
import { createAuthoriseStage } from "./run/authorise-stage.js";
import { createCollectHistoryStage } from "./run/collect-history-stage.js";
import type { RunStage } from "./run/process-persona-job.js";
import { createReviewStage } from "./run/review-stage.js";
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

const apiBaseUrl = resolveGitHubUrls({
  gheHost: process.env.GHE_HOST,
  gheProtocol: process.env.GHE_PROTOCOL || undefined,
}).apiUrl;
const probot = new Probot({ ...credentials, baseUrl: apiBaseUrl, log });
const redis = connectRedis(config.REDIS_URL);
const names = createQueueNames();
const auth = createAuthStage({
  config,
  redis,
  keyPrefix: `${config.QUEUE_PREFIX}:`,
  gheHost: process.env.GHE_HOST,
  gheProtocol: process.env.GHE_PROTOCOL || undefined,
});
const stages: RunStage[] = [
  createAuthoriseStage({
    auth,
    keyPrefix: config.QUEUE_PREFIX,
    linkTtlSeconds: config.OAUTH_STATE_TTL_SECONDS,
  }),
  createCollectHistoryStage({ auth, config, templates: await loadPrompts(), apiBaseUrl }),
  createReviewStage({
    config,
    templates: await loadReviewPrompts(),
    llm: createLlmClient({
      baseUrl: config.LLM_BASE_URL,
      apiKey: config.LLM_API_KEY,
      timeoutMs: config.LLM_TIMEOUT_MS,
      maxRetries: config.LLM_MAX_RETRIES,
    }),
    readRepoConfig: async ({ job }) =>
      readRepoConfigFile({
        octokit: await probot.auth(job.installationId),
        owner: job.owner,
        repo: job.repo,
      }),
  }),
];

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
