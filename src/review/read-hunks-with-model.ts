import OpenAI from "openai";
import { type ConcurrencyLimit, mapWithLimit } from "../llm/limit-concurrency.js";
import { AnswerFormatError } from "../prompts/parse-answer.js";
import type { Hunk } from "./parse-diff-hunks.js";
import { type HunkVerdict, type ReviewerModelRequest, reviewHunk } from "./review-hunk.js";

/** A hunk the model answered for. */
export interface ReadHunk<Item extends { hunk: Hunk }> {
  item: Item;
  verdict: HunkVerdict;
}

/** After this many failed calls without one answer, the model is taken to be down. */
export const GIVE_UP_AFTER_FAILURES = 4;

/** Every call to the model failed: the hunks left were not sent (the run stops early). */
export class ModelUnavailableError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "ModelUnavailableError";
  }
}

/**
 * Sends every hunk to the reviewer's model, at most LLM_CONCURRENCY at a time. A hunk whose call fails
 * (timeout, 5xx after retries, an answer out of format) is counted by reason and left out; the
 * others still make the review. Calls `onProgress` after each hunk. When the first
 * {@link GIVE_UP_AFTER_FAILURES} calls all fail, the rest are not sent: a model that answers
 * nothing would only be asked the whole PR in vain (throws {@link ModelUnavailableError}).
 */
export async function readHunksWithModel<Item extends { hunk: Hunk }>(
  params: ReviewerModelRequest & {
    items: readonly Item[];
    /** Shared with the summary request, so the server never sees more than LLM_CONCURRENCY. */
    limit: ConcurrencyLimit;
    onProgress: (done: number) => void;
  },
): Promise<{ read: ReadHunk<Item>[]; failures: Record<string, number>; firstError?: unknown }> {
  let done = 0;
  let answered = 0;
  let failed = 0;
  let skipped = 0;
  let firstFailure: unknown;
  const settled = await mapWithLimit({
    items: params.items,
    limit: params.limit,
    worker: async (item) => {
      if (answered === 0 && failed >= GIVE_UP_AFTER_FAILURES) {
        skipped++;
        throw firstFailure;
      }
      try {
        const verdict = await reviewHunk({
          client: params.client,
          templates: params.templates,
          model: params.model,
          reviewerLogin: params.reviewerLogin,
          repoFullName: params.repoFullName,
          hunk: item.hunk,
          ...(params.answerConstraint ? { answerConstraint: params.answerConstraint } : {}),
        });
        answered++;
        return verdict;
      } catch (error) {
        failed++;
        firstFailure ??= error;
        throw error;
      } finally {
        done++;
        params.onProgress(done);
      }
    },
  });
  // Only when hunks were left unsent; otherwise the caller reports "none answered" its own way.
  if (answered === 0 && skipped > 0) {
    const reason = failureReason(firstFailure);
    throw new ModelUnavailableError(
      `every call to the model failed (${reason}, ${failed} in a row; ${skipped} more not sent), so the review stopped early. Check the LLM server's logs and that it serves "${params.model.kind === "adapter" ? params.model.name : params.model.baseModel}", then comment again`,
      { cause: firstFailure },
    );
  }
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
