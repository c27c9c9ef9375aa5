import { UnrecoverableError } from "bullmq";
import type { Redis } from "ioredis";
import type OpenAI from "openai";
import type { Logger } from "pino";
import { type PushSummaryJob, pushSummaryJobId } from "../../jobs/push-summary-job.js";
import type { GitHubClient } from "../github/github-client.js";
import {
  type ConfigReadingOctokit,
  RepoConfigFileError,
  readRepoConfigFile,
} from "../github/read-repo-config-file.js";
import { parseFeedConfig } from "../github/repo-config-schema.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import { isFeedBranch } from "./feed-config.js";
import { hasFeedEntry, recordFeedEntry } from "./feed-store.js";
import { fetchPushChange } from "./fetch-push-change.js";
import { summarisePush } from "./summarise-push.js";

export type PushSummaryOutcome = "recorded" | "already-recorded" | "feed-off";

/**
 * Summarises one push into the repository's feed, when the repository's config turns the feed on
 * for that branch (it is off by default). A retried or repeated job finds its entry and stops.
 */
export async function processPushSummaryJob(params: {
  job: PushSummaryJob;
  octokit: GitHubClient & ConfigReadingOctokit;
  redis: Redis;
  keyPrefix: string;
  llm: OpenAI;
  /** The base model (BASE_MODEL_NAME): push summaries never use an adapter. */
  baseModel: string;
  templates: Pick<ReviewPromptTemplates, "summary" | "summaryDiff">;
  /** The most prompt text one request may carry (LLM_MAX_HUNK_CHARS). */
  budgetChars: number;
  log: Logger;
}): Promise<PushSummaryOutcome> {
  const { job, redis, keyPrefix } = params;
  const id = pushSummaryJobId(job);
  const where = { owner: job.owner, repo: job.repo };
  if (await hasFeedEntry({ redis, keyPrefix, ...where, id })) return "already-recorded";

  let feedOn: boolean;
  try {
    const config = parseFeedConfig(await readRepoConfigFile({ octokit: params.octokit, ...where }));
    feedOn = isFeedBranch({ config, branch: job.branch, defaultBranch: job.defaultBranch });
  } catch (error) {
    if (error instanceof RepoConfigFileError) throw new UnrecoverableError(error.message);
    throw error;
  }
  if (!feedOn) return "feed-off";

  const change = await fetchPushChange({ octokit: params.octokit, ...where, ...job });
  const summary = await summarisePush({
    llm: params.llm,
    model: params.baseModel,
    templates: params.templates,
    files: change.files,
    forced: job.forced,
    budgetChars: params.budgetChars,
    onModelError: (error) =>
      params.log.warn({ err: error, jobId: id }, "feed: the model's summary failed; using counts"),
  });
  await recordFeedEntry({
    redis,
    keyPrefix,
    entry: {
      id,
      ...where,
      branch: job.branch,
      summary: summary.text,
      summarySource: summary.source,
      pusherLogin: job.pusherLogin,
      pushedAt: job.pushedAt,
      forced: job.forced,
      compareUrl: change.compareUrl,
      commits: change.commits,
      commitCount: Math.max(change.commitCount, job.commitShas.length),
    },
  });
  params.log.info({ jobId: id, source: summary.source }, "push summarised into the feed");
  return "recorded";
}
