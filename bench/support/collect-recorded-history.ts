import type { Logger } from "pino";
import { ProbotOctokit } from "probot";
import type { HistoryResult } from "../../src/history/collect-history.js";
import type { RawReviewComment, ReviewedPull } from "../../src/history/history-records.js";
import { createHistoryStore } from "../../src/history/store-history.js";
import type { PrecedentIndex } from "../../src/retrieval/precedent-index.js";
import { loadHistoryIndex } from "../../src/retrieval/retrieval-store.js";
import { startGithubStandIn } from "../../support/history/github-stand-in.js";
import {
  readRecordedHistory,
  recordedRepository,
} from "../../support/history/recorded-repository.js";
import type { BenchRedis } from "./bench-redis.js";
import { collectRecordedReviewer } from "./collect-recorded-reviewer.js";

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
 * production) and runs the bot's own history stage on it into the bench's Redis under its key
 * prefix (collectRecordedReviewer; the bench deletes the keys), then reads the dataset and the
 * precedent index it stored as well.
 */
export async function collectRecordedHistory(
  scope: Pick<BenchRedis, "redis" | "keyPrefix">,
  params: { historyPath: string; reviewerLogin: string; log: Logger },
): Promise<CollectedHistory> {
  const repo = recordedRepository(readRecordedHistory(params.historyPath));
  const subject = { owner: repo.owner, repo: repo.name, reviewerLogin: params.reviewerLogin };
  const github = await startGithubStandIn({ repo });
  const Octokit = ProbotOctokit.defaults({
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const octokit = new Octokit({ auth: { token: github.token }, baseUrl: github.url });
  const location = { redis: scope.redis, keyPrefix: scope.keyPrefix, subject };
  try {
    const { result, pulls, raw } = await collectRecordedReviewer({
      ...location,
      octokit,
      owner: repo.owner,
      repo: repo.name,
      reviewerLogin: params.reviewerLogin,
      log: params.log,
    });
    const store = createHistoryStore({ ...location, ttlSeconds: 3600 });
    const [text, index] = await Promise.all([store.loadDatasetText(), loadHistoryIndex(location)]);
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
