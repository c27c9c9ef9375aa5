import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { GraphqlClient, RestRequest } from "../../src/github/github-client.js";
import { cleanComments } from "../../src/history/clean-comments.js";
import { collectHistory } from "../../src/history/collect-history.js";
import { defaultHistoryConfig, type HistoryConfig } from "../../src/history/history-config.js";
import { createHistoryStore } from "../../src/history/store-history.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";

type Octokit = { graphql: GraphqlClient; request: RestRequest };

/**
 * Collects one reviewer's history from the recorded GitHub with the bot's own history stage
 * (real Redis under `keyPrefix`), and reads back what it stored: the pull requests, every raw
 * comment, the kept (cleaned) ones and the kept file listings.
 */
export async function collectRecordedReviewer(params: {
  octokit: Octokit;
  owner: string;
  repo: string;
  reviewerLogin: string;
  redis: Redis;
  keyPrefix: string;
  config?: Partial<HistoryConfig>;
  log: Logger;
}) {
  const subject = { owner: params.owner, repo: params.repo, reviewerLogin: params.reviewerLogin };
  const result = await collectHistory({
    subject,
    runId: "bench",
    forceReload: false,
    graphql: (query, variables) => params.octokit.graphql(query, variables),
    request: (route, requestParams) => params.octokit.request(route, requestParams),
    redis: params.redis,
    keyPrefix: params.keyPrefix,
    config: defaultHistoryConfig(params.config ?? {}),
    templates: await loadPrompts(),
    appBotLogin: "tech-lead-bot[bot]",
    log: params.log,
  });
  const store = createHistoryStore({
    redis: params.redis,
    keyPrefix: params.keyPrefix,
    subject,
    ttlSeconds: 3600,
  });
  const [pulls, raw, pullFiles] = await Promise.all([
    store.loadPulls(),
    store.loadComments(),
    store.loadPullFiles(),
  ]);
  const { kept } = cleanComments({ comments: raw, appBotLogin: "tech-lead-bot[bot]" });
  return { result, pulls, raw, kept, pullFiles };
}
