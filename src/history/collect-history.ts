import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createFateStore } from "../fates/fate-store.js";
import type { GraphqlClient, RestRequest } from "../github/github-client.js";
import type { PromptTemplates } from "../prompts/load-prompts.js";
import { augmentTrainingSet } from "../retrieval/augment-training-set.js";
import { buildDataset, toJsonl } from "./build-dataset.js";
import { buildFeedbackExamples } from "./build-feedback-examples.js";
import { createGithubCaller } from "./call-github.js";
import { cleanComments } from "./clean-comments.js";
import { type Clock, systemClock } from "./clock.js";
import {
  type CollectionPhase,
  collectReviewComments,
  type HistoryProgress,
} from "./collect-comments.js";
import { collectNegatives } from "./collect-negatives.js";
import { computeStats } from "./compute-stats.js";
import type { HistoryConfig } from "./history-config.js";
import type { HistorySubject } from "./history-records.js";
import {
  chooseHoldoutCutoff,
  chooseNegativePulls,
  chooseWherePulls,
  isHeldOut,
} from "./split-holdout.js";
import { createHistoryStore, type HistoryResult } from "./store-history.js";

export type { HistoryProgress } from "./collect-comments.js";
export type { HistoryResult } from "./store-history.js";

/**
 * The history stage: collects every review comment `subject.reviewerLogin` left in the
 * repository (GraphQL search + nested reviews/comments; REST only for the negatives' file
 * patches), cleans them, builds the chat dataset with a time-ordered holdout, and stores it in
 * Redis under `HISTORY_TTL_SECONDS`, the statistics without expiry.
 *
 * - Resumes from its checkpoint after a crash; a finished collection under the TTL is returned
 *   as is (`forceReload` ignores it and collects again, once per run).
 * - Joins `runId` to the subject's data; call `releaseHistory` when the run ends to delete it.
 * - `graphql`/`request`: an Octokit authenticated with the requester's token
 *   (`octokit.graphql`, `octokit.request`). Rate limits are handled here; if the Octokit has the
 *   throttling plugin enabled it may wait first, which is harmless.
 * - `reportProgress` is called after every page; the caller throttles status-comment edits.
 *
 * With fewer than `MIN_COMMENTS_FOR_TRAINING` cleaned comments the result has
 * `trainable: false`; the dataset is still stored for few-shot examples.
 *
 * @throws RateLimitDeferral when GitHub asks for a longer wait than
 *   `HISTORY_MAX_INLINE_WAIT_SECONDS`: re-queue the job for `error.resumeAt`; it resumes.
 * @throws Error (with `cause`) when GitHub keeps failing or answers in an unexpected shape.
 */
export async function collectHistory(params: {
  subject: HistorySubject;
  runId: string;
  forceReload: boolean;
  graphql: GraphqlClient;
  request: RestRequest;
  redis: Redis;
  keyPrefix: string;
  config: HistoryConfig;
  templates: PromptTemplates;
  /** This app's bot login, e.g. `tech-lead-bot[bot]`; its comments are never training data. */
  appBotLogin: string;
  log: Logger;
  clock?: Clock;
  reportProgress?: (progress: HistoryProgress) => Promise<void> | void;
}): Promise<HistoryResult> {
  const { subject, runId, config } = params;
  const clock = params.clock ?? systemClock;
  const log = params.log.child({
    repo: `${subject.owner}/${subject.repo}`,
    reviewerLogin: subject.reviewerLogin,
  });
  // A status comment that fails to update must not cost the collection.
  const reportProgress = async (progress: HistoryProgress) => {
    try {
      await params.reportProgress?.(progress);
    } catch (error) {
      log.warn({ err: error }, "could not report history progress");
    }
  };
  const store = createHistoryStore({
    redis: params.redis,
    keyPrefix: params.keyPrefix,
    subject,
    ttlSeconds: config.HISTORY_TTL_SECONDS,
  });
  await store.joinRun(runId);

  const cached = await store.loadResult();
  let checkpoint = await store.loadCheckpoint();
  if (params.forceReload && checkpoint?.startedBy !== runId) {
    log.info("force reload: ignoring any collected history");
    await store.clearScraped();
    checkpoint = undefined;
  } else if (cached) {
    log.info({ comments: cached.stats.comments }, "history already collected, reusing it");
    return cached;
  }
  checkpoint ??= {
    startedBy: runId,
    searches: null,
    searchIndex: 0,
    cursor: null,
    commentsDone: false,
    requests: { graphql: 0, rest: 0 },
  };
  const caller = createGithubCaller({
    graphql: params.graphql,
    request: params.request,
    clock,
    log,
    maxRetries: config.HISTORY_MAX_RATE_LIMIT_RETRIES,
    maxInlineWaitMs: config.HISTORY_MAX_INLINE_WAIT_SECONDS * 1000,
    initialCounts: checkpoint.requests,
  });
  if (!checkpoint.commentsDone) {
    checkpoint = await collectReviewComments({
      caller,
      store,
      subject,
      checkpoint,
      pageSize: config.HISTORY_SEARCH_PAGE_SIZE,
      clockNow: () => clock.now(),
      log,
      reportProgress,
    });
  }
  return await finishDataset({ ...params, store, caller, checkpoint, clock, log, reportProgress });
}

async function finishDataset(
  params: Parameters<typeof collectHistory>[0] & CollectionPhase & { clock: Clock; log: Logger },
): Promise<HistoryResult> {
  const { store, caller, subject, config } = params;
  const [pulls, rawComments] = await Promise.all([store.loadPulls(), store.loadComments()]);
  const { kept, dropped } = cleanComments({
    comments: rawComments,
    appBotLogin: params.appBotLogin,
  });
  const commentsPerPull = new Map<number, number>();
  for (const comment of kept)
    commentsPerPull.set(comment.pullNumber, (commentsPerPull.get(comment.pullNumber) ?? 0) + 1);
  const cutoff = chooseHoldoutCutoff({
    pulls,
    commentsPerPull,
    fraction: config.HISTORY_HOLDOUT_FRACTION,
  });
  const { negatives } = await collectNegatives({
    caller,
    store,
    subject,
    checkpoint: params.checkpoint,
    pullNumbers: chooseNegativePulls({
      pulls,
      cutoff,
      maxPulls: config.NEGATIVES_MAX_PRS,
      fraction: config.HISTORY_HOLDOUT_FRACTION,
    }),
    filePullNumbers: chooseWherePulls({ pulls, maxPulls: config.WHERE_MAX_PRS }),
    rawComments,
    maxHunksPerPull: config.NEGATIVES_MAX_HUNKS_PER_PR,
    keptComments: kept.length,
    reportProgress: params.reportProgress,
  });
  const examples = buildDataset({
    templates: params.templates,
    subject,
    comments: kept,
    negatives,
    maxHunkLines: config.HISTORY_MAX_HUNK_LINES,
  });
  const createdAtOf = new Map(pulls.map((pull) => [pull.number, pull.createdAt]));
  const heldOut = (pullNumber: number) =>
    isHeldOut({ createdAt: createdAtOf.get(pullNumber) ?? "" }, cutoff);
  // What people did with the persona's earlier comments joins the training set (never the
  // holdout, which stays the reviewer's own words).
  const feedback = buildFeedbackExamples({
    templates: params.templates,
    subject,
    fates: await createFateStore(params).readPersona(subject),
    isHeldOut: heldOut,
  });
  // The precedent index over the training part, and the training set with each example's
  // precedents in its prompt, as the review will show them (src/retrieval).
  const { train, index } = augmentTrainingSet({
    examples: [...examples.filter((example) => !heldOut(example.pullNumber)), ...feedback.examples],
    targets: new Map(kept.map((comment) => [comment.id, comment.target])),
    pullCreatedAt: createdAtOf,
    templates: params.templates,
    reviewerLogin: subject.reviewerLogin,
    builtAt: new Date(params.clock.now()).toISOString(),
  });
  // The holdout stays plain hunks: an evaluation retrieves their precedents as the review does.
  const holdout = examples.filter((example) => heldOut(example.pullNumber));
  const stats = computeStats({
    repo: `${subject.owner}/${subject.repo}`,
    reviewerLogin: subject.reviewerLogin,
    collectedAt: new Date(params.clock.now()).toISOString(),
    rawComments: rawComments.length,
    pulls: pulls.length,
    comments: kept,
    dropped,
    negatives,
    commentsWithFullHunk: examples.filter(
      (example) => example.kind === "comment" && example.fullHunk,
    ).length,
    trainExamples: train.length,
    holdoutExamples: holdout.length,
    holdoutFrom: cutoff,
    requests: { ...caller.counts },
  });
  const result: HistoryResult = {
    runId: params.runId,
    stats: { ...stats, feedbackSignal: feedback.signal },
    trainable: kept.length >= config.MIN_COMMENTS_FOR_TRAINING,
    minimumComments: config.MIN_COMMENTS_FOR_TRAINING,
  };
  await store.saveDataset({
    train: toJsonl(train),
    holdout: toJsonl(holdout),
    retrieval: JSON.stringify(index),
    result,
  });
  params.log.info(
    {
      comments: kept.length,
      pulls: pulls.length,
      negatives: stats.negatives,
      requests: stats.requests,
      precedents: index.precedents.length,
    },
    "history collected",
  );
  return result;
}
