import type { Queue } from "bullmq";
import type { AuthStage } from "../auth/create-auth-stage.js";
import { type ConfigReadingOctokit, readRepoConfigFile } from "../github/read-repo-config-file.js";
import { createLlmClient } from "../llm/create-llm-client.js";
import { loadPrompts } from "../prompts/load-prompts.js";
import { loadReviewPrompts } from "../review/load-review-prompts.js";
import type { RunStage } from "../run/stage-contract.js";
import { createAuthoriseStage } from "../run/stages/authorise-stage.js";
import { createCheckReviewedHeadStage } from "../run/stages/check-reviewed-head-stage.js";
import { createCollectHistoryStage } from "../run/stages/collect-history-stage.js";
import { createReviewStage } from "../run/stages/review-stage.js";
import { createTrainOrReuseStage } from "../run/stages/train-or-reuse-stage.js";
import { createWhereModelStage } from "../run/stages/where-model-stage.js";
import { splitCommandLine } from "../train/train-config.js";
import type { Config } from "./load-config.js";

/**
 * The stages of a persona run, in order, as `npm run worker` runs them (tests build the same
 * list). Prompt files are read once, here.
 */
export async function createRunStages(params: {
  config: Config;
  auth: AuthStage;
  /** REST base of GitHub (GHE_HOST aware), for clients made with the requester's token. */
  apiBaseUrl: string;
  /** The installation's Probot client, which can read repository config files. */
  installationClient: (installationId: number) => Promise<ConfigReadingOctokit>;
  /** The queues of the train-or-reuse stage; without them every review is few-shot. */
  training?: { trainQueue: Queue; pickupQueue: Queue };
}): Promise<RunStage[]> {
  const { config, auth } = params;
  return [
    createCheckReviewedHeadStage(),
    createAuthoriseStage({
      auth,
      keyPrefix: config.QUEUE_PREFIX,
      linkTtlSeconds: config.OAUTH_STATE_TTL_SECONDS,
    }),
    createCollectHistoryStage({
      auth,
      config,
      templates: await loadPrompts(),
      apiBaseUrl: params.apiBaseUrl,
    }),
    createWhereModelStage({
      keyPrefix: config.QUEUE_PREFIX,
      appBotLogin: `${config.BOT_HANDLE}[bot]`,
      fitCommand: splitCommandLine(config.WHERE_FIT_COMMAND),
      historyTtlSeconds: config.HISTORY_TTL_SECONDS,
    }),
    ...(params.training
      ? [createTrainOrReuseStage({ config, keyPrefix: config.QUEUE_PREFIX, ...params.training })]
      : []),
    createReviewStage({
      config,
      templates: await loadReviewPrompts(),
      llm: createLlmClient({
        baseUrl: config.LLM_BASE_URL,
        apiKey: config.LLM_API_KEY,
        timeoutMs: config.LLM_TIMEOUT_MS,
        maxRetries: config.LLM_MAX_RETRIES,
        adaptersDir: config.ADAPTERS_DIR,
      }),
      // The web host precedent links point at: github.com, or the GHE host of apiBaseUrl.
      webUrl: params.apiBaseUrl
        .replace(/\/api\/v3\/?$/, "")
        .replace("https://api.github.com", "https://github.com"),
      readRepoConfig: async ({ job }) =>
        readRepoConfigFile({
          octokit: await params.installationClient(job.installationId),
          owner: job.owner,
          repo: job.repo,
        }),
    }),
  ];
}
