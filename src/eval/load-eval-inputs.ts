import { readFile } from "node:fs/promises";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { fewShotExamplesFromTrainText } from "../history/load-few-shot-examples.js";
import { materialiseDataset } from "../history/materialise-dataset.js";
import { createHistoryStore } from "../history/store-history.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import type { FewShotExample } from "../review/review-model.js";
import { type HoldoutExample, readHoldoutFile } from "./read-holdout.js";

/**
 * Used when the reviewer's comment rate is unknown: the review stage's own default
 * (src/run/review-stage.ts), roughly one comment per five hunks.
 */
export const DEFAULT_COMMENT_RATE = 0.2;
/** Past comments shown in few-shot mode (plus half as many silent hunks), as the review stage does. */
export const FEW_SHOT_EXAMPLES = 8;

/** What an evaluation reads besides the models. */
export interface EvalInputs {
  examples: HoldoutExample[];
  fewShotExamples: FewShotExample[];
  reviewerCommentRate: number;
}

type Subject = { owner: string; repo: string; reviewerLogin: string };

/**
 * The holdout, few-shot examples and comment rate: from files (`holdoutPath`, optional
 * `trainPath`, `commentRate` or the default) or, without `holdoutPath`, from the collected
 * history in Redis (its holdout and train parts, written to a temporary folder that is removed
 * again, and its statistics).
 *
 * @throws Error when a file cannot be read or parsed, or Redis holds no dataset for the subject.
 */
export async function loadEvalInputs(params: {
  subject: Subject;
  templates: ReviewPromptTemplates;
  holdoutPath?: string | undefined;
  trainPath?: string | undefined;
  commentRate?: number | undefined;
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
    if (params.commentRate === undefined) {
      params.log.warn(
        { rate: DEFAULT_COMMENT_RATE },
        "eval: no --comment-rate given; using the review's default",
      );
    }
    return {
      examples: await read(params.holdoutPath),
      fewShotExamples,
      reviewerCommentRate: params.commentRate ?? DEFAULT_COMMENT_RATE,
    };
  }
  const redis = new Redis(params.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const location = { redis, keyPrefix: params.redis.keyPrefix, subject };
    const dataset = await materialiseDataset(location);
    try {
      const stats = await createHistoryStore({ ...location, ttlSeconds: 1 }).loadStats();
      return {
        examples: await read(dataset.holdoutPath),
        fewShotExamples: await readFewShot(dataset.trainPath),
        reviewerCommentRate:
          params.commentRate ?? stats?.commentRatePerHunk ?? DEFAULT_COMMENT_RATE,
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
