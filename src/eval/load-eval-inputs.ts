import { readFile } from "node:fs/promises";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { cleanComments } from "../history/clean-comments.js";
import { fewShotExamplesFromTrainText } from "../history/load-few-shot-examples.js";
import { materialiseDataset } from "../history/materialise-dataset.js";
import { createHistoryStore } from "../history/store-history.js";
import type { PrecedentIndex } from "../retrieval/precedent-index.js";
import { loadAdapterIndex, loadHistoryIndex } from "../retrieval/retrieval-store.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import type { FewShotExample } from "../review/review-model.js";
import type { WhereSource } from "./evaluate-where.js";
import { type HoldoutExample, readHoldoutFile } from "./read-holdout.js";

/** Past comments shown in few-shot mode (plus half as many silent hunks), as the review stage does. */
export const FEW_SHOT_EXAMPLES = 8;

/** What an evaluation reads besides the models. */
export interface EvalInputs {
  examples: HoldoutExample[];
  fewShotExamples: FewShotExample[];
  reviewerCommentRate: number;
  /** Comments every system may keep over the holdout, when given instead of a rate. */
  commentBudget?: number | undefined;
  /** The history's precedent index (Redis only; files carry none). */
  index?: PrecedentIndex | undefined;
  /** The adapter's own snapshot of it, when `adapterName` has one. */
  adapterIndex?: PrecedentIndex | undefined;
  /** The collected history the where-model is evaluated from (Redis only; files carry none). */
  whereSource?: WhereSource | undefined;
}

type Subject = { owner: string; repo: string; reviewerLogin: string };

/**
 * The holdout, few-shot examples and comment budget: from files (`holdoutPath`, optional
 * `trainPath`, and `commentRate` or `commentBudget`: one is required, no silent default caps
 * recall) or, without `holdoutPath`, from the collected history in Redis (its holdout and train
 * parts, written to a temporary folder that is removed again, and its statistics' comment rate).
 *
 * @throws Error when a file cannot be read or parsed, Redis holds no dataset for the subject, or
 *   no comment rate or budget is known.
 */
export async function loadEvalInputs(params: {
  subject: Subject;
  templates: ReviewPromptTemplates;
  holdoutPath?: string | undefined;
  trainPath?: string | undefined;
  commentRate?: number | undefined;
  commentBudget?: number | undefined;
  /** The adapter to evaluate, whose precedent index snapshot is read from Redis. */
  adapterName?: string | undefined;
  redis: { url: string; keyPrefix: string };
  log: Logger;
}): Promise<EvalInputs> {
  const { subject } = params;
  const read = (path: string) =>
    readHoldoutFile({
      path,
      templates: params.templates,
      reviewerLogin: subject.reviewerLogin,
      repoFullName: `${subject.owner}/${subject.repo}`,
    });
  if (params.holdoutPath) {
    const fewShotExamples = params.trainPath ? await readFewShot(params.trainPath) : [];
    if (params.commentRate === undefined && params.commentBudget === undefined) {
      throw new Error(
        "a holdout file needs a comment budget: pass --comment-rate <rate> or --budget <n>",
      );
    }
    return {
      examples: await read(params.holdoutPath),
      fewShotExamples,
      reviewerCommentRate: params.commentRate ?? 0,
      commentBudget: params.commentBudget,
    };
  }
  const redis = new Redis(params.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const location = { redis, keyPrefix: params.redis.keyPrefix, subject };
    const dataset = await materialiseDataset(location);
    try {
      const store = createHistoryStore({ ...location, ttlSeconds: 1 });
      const stats = await store.loadStats();
      const rate = params.commentRate ?? stats?.commentRatePerHunk ?? undefined;
      if (rate === undefined && params.commentBudget === undefined) {
        throw new Error(
          `the collected history of ${subject.reviewerLogin} has no comment rate (no hunks they let pass were found): pass --comment-rate <rate> or --budget <n>`,
        );
      }
      const [index, adapterIndex, pulls, rawComments, pullFiles] = await Promise.all([
        loadHistoryIndex(location),
        params.adapterName
          ? loadAdapterIndex({ ...location, adapterName: params.adapterName })
          : undefined,
        store.loadPulls(),
        store.loadComments(),
        store.loadPullFiles(),
      ]);
      // The reviewer's own comments only, so no comment of this app can remain for the rule that
      // drops them (whose login an evaluation does not know).
      const reviewer = subject.reviewerLogin.toLowerCase();
      const own = rawComments.filter((comment) => comment.authorLogin?.toLowerCase() === reviewer);
      const { kept } = cleanComments({ comments: own, appBotLogin: "tech-lead-bot[bot]" });
      return {
        examples: await read(dataset.holdoutPath),
        fewShotExamples: await readFewShot(dataset.trainPath),
        reviewerCommentRate: rate ?? 0,
        commentBudget: params.commentBudget,
        index,
        adapterIndex,
        whereSource: { pulls, pullFiles, rawComments: own, kept, holdoutFrom: stats?.holdoutFrom },
      };
    } finally {
      await dataset.remove();
    }
  } finally {
    redis.disconnect();
  }
}

async function readFewShot(path: string): Promise<FewShotExample[]> {
  try {
    return fewShotExamplesFromTrainText({
      trainText: await readFile(path, "utf8"),
      count: FEW_SHOT_EXAMPLES,
    });
  } catch (error) {
    throw new Error(
      `cannot take few-shot examples from ${path}: pass --train with the history stage's train.jsonl`,
      { cause: error },
    );
  }
}
