import OpenAI from "openai";
import type { AnswerConstraint } from "../llm/answer-constraint.js";
import { type ConcurrencyLimit, mapWithLimit } from "../llm/limit-concurrency.js";
import { AnswerFormatError } from "../prompts/parse-answer.js";
import type { ReviewPromptTemplates } from "./load-review-prompts.js";
import type { Hunk } from "./parse-diff-hunks.js";
import { type HunkVerdict, reviewHunk } from "./review-hunk.js";
import type { ReviewModel } from "./review-model.js";

/** A hunk the model answered for. */
export interface ReadHunk<Item extends { hunk: Hunk }> {
  item: Item;
  verdict: HunkVerdict;
}

/**
 * Sends every hunk to the reviewer's model, at most LLM_CONCURRENCY at a time. A hunk whose call fails
 * (timeout, 5xx after retries, an answer out of format) is counted by reason and left out; the
 * others still make the review. Calls `onProgress` after each hunk.
 */
export async function readHunksWithModel<Item extends { hunk: Hunk }>(params: {
  items: readonly Item[];
  client: OpenAI;
  templates: ReviewPromptTemplates;
  model: ReviewModel;
  reviewerLogin: string;
  repoFullName: string;
  /** Shared with the summary request, so the server never sees more than LLM_CONCURRENCY. */
  limit: ConcurrencyLimit;
  onProgress: (done: number) => void;
  answerConstraint?: AnswerConstraint;
}): Promise<{ read: ReadHunk<Item>[]; failures: Record<string, number>; firstError?: unknown }> {
  let done = 0;
  const settled = await mapWithLimit({
    items: params.items,
    limit: params.limit,
    worker: async (item) => {
      try {
        return await reviewHunk({
          client: params.client,
          templates: params.templates,
          model: params.model,
          reviewerLogin: params.reviewerLogin,
          repoFullName: params.repoFullName,
          hunk: item.hunk,
          ...(params.answerConstraint ? { answerConstraint: params.answerConstraint } : {}),
        });
      } finally {
        done++;
        params.onProgress(done);
      }
    },
  });
  const read: ReadHunk<Item>[] = [];
  const failures: Record<string, number> = {};
  let firstError: unknown;
  settled.forEach((result, index) => {
    const item = params.items[index] as Item;
    if (result.status === "fulfilled") {
      read.push({ item, verdict: result.value });
      return;
    }
    firstError ??= result.reason;
    const reason = failureReason(result.reason);
    failures[reason] = (failures[reason] ?? 0) + 1;
  });
  return { read, failures, ...(firstError === undefined ? {} : { firstError }) };
}

/** A short, user-facing reason for a failed hunk. */
export function failureReason(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof AnswerFormatError || error instanceof AnswerFormatError) {
    return "answer not in the expected format";
  }
  if (cause instanceof OpenAI.APIConnectionTimeoutError) return "LLM timeout";
  if (cause instanceof OpenAI.APIError && typeof cause.status === "number") {
    return cause.status >= 500
      ? `LLM server error ${cause.status}`
      : `LLM refused with ${cause.status}`;
  }
  if (cause instanceof OpenAI.APIConnectionError) return "LLM unreachable";
  return "unexpected error";
}
