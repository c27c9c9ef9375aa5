import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { ProbotOctokit } from "probot";
import { collectHistory, type HistoryResult } from "../../src/history/collect-history.js";
import { defaultHistoryConfig } from "../../src/history/history-config.js";
import type { RawReviewComment, ReviewedPull } from "../../src/history/history-records.js";
import { createHistoryStore } from "../../src/history/store-history.js";
import { loadPrompts } from "../../src/prompts/load-prompts.js";
import type { PrecedentIndex } from "../../src/retrieval/precedent-index.js";
import { loadHistoryIndex } from "../../src/retrieval/retrieval-store.js";
import { startGithubStandIn } from "../../support/history/github-stand-in.js";
import {
  readRecordedHistory,
  recordedRepository,
} from "../../support/history/recorded-repository.js";

/** What the bot's history stage collected from a recorded history, for a bench to read. */
export interface CollectedHistory {
  repo: { owner: string; name: string };
  /** An Octokit on the recorded GitHub (for the pull requests' final diffs). */
  octokit: InstanceType<typeof ProbotOctokit>;
  result: HistoryResult;
  pulls: ReviewedPull[];
  raw: RawReviewComment[];
  /** The dataset as the trainer and `npm run eval` read it (JSONL chats). */
  trainText: string;
  holdoutText: string;
  /** The precedent index the history stage built (src/retrieval). */
  index: PrecedentIndex;
  close(): Promise<void>;
}

/**
 * Serves a recorded history file through the recorded GitHub (the routes the bot calls in
 * production) and runs the bot's own history stage on it into `redis` under `keyPrefix`
 * (the caller deletes the keys).
 */
export async function collectRecordedHistory(params: {
  historyPath: string;
  reviewerLogin: string;
  redis: Redis;
  keyPrefix: string;
  log: Logger;
}): Promise<CollectedHistory> {
  const repo = recordedRepository(readRecordedHistory(params.historyPath));
  const subject = { owner: repo.owner, repo: repo.name, reviewerLogin: params.reviewerLogin };
  const github = await startGithubStandIn({ repo });
  const Octokit = ProbotOctokit.defaults({
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const octokit = new Octokit({ auth: { token: github.token }, baseUrl: github.url });
  const location = { redis: params.redis, keyPrefix: params.keyPrefix, subject };
  try {
    const result = await collectHistory({
      ...location,
      runId: "bench",
      forceReload: false,
      graphql: (query, variables) => octokit.graphql(query, variables),
      request: (route, options) => octokit.request(route, options),
      config: defaultHistoryConfig({}),
      templates: await loadPrompts(),
      appBotLogin: "tech-lead-bot[bot]",
      log: params.log,
    });
    const store = createHistoryStore({ ...location, ttlSeconds: 3600 });
    const [pulls, raw, text, index] = await Promise.all([
      store.loadPulls(),
      store.loadComments(),
      store.loadDatasetText(),
      loadHistoryIndex(location),
    ]);
    if (!text || !index) throw new Error("the history stage stored no dataset or index");
    return {
      repo: { owner: repo.owner, name: repo.name },
      octokit,
      result,
      pulls,
      raw,
      trainText: text.train,
      holdoutText: text.holdout,
      index,
      close: () => github.close(),
    };
  } catch (error) {
    await github.close();
    throw error;
  }
}
