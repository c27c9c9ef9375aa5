import type OpenAI from "openai";
import type { AnswerConstraint } from "../llm/answer-constraint.js";
import { askModelForHunk } from "../llm/ask-model-for-hunk.js";
import { createConcurrencyLimit, mapWithLimit } from "../llm/limit-concurrency.js";
import { parseAnswer } from "../prompts/parse-answer.js";
import { COMMENT_ONLY_REGEX } from "../prompts/review-answer.js";
import { buildModelMessages } from "../review/build-model-messages.js";
import type { ReviewPromptTemplates } from "../review/load-review-prompts.js";
import type { Hunk } from "../review/parse-diff-hunks.js";
import { failureReason } from "../review/read-hunks-with-model.js";
import { hunkAnswerRequest } from "../review/review-hunk.js";
import { modelNameOf, type ReviewModel } from "../review/review-model.js";
import { sanitiseComment } from "../review/sanitise-comment.js";

/** A comment as the model wrote it, as a user would see it (sanitised as the review posts it). */
export function commentText(body: string): string | undefined {
  const sanitised = sanitiseComment(body);
  return sanitised.kind === "empty" ? undefined : sanitised.text;
}

/**
 * Asks a system for a comment on each hunk (the review's own prompt: persona, few-shot examples,
 * precedents, the hunk), decoding held to a comment, LLM_CONCURRENCY at a time. A hunk whose call
 * fails gets no text and is counted by reason.
 */
export async function predictCommentText(params: {
  hunks: readonly Hunk[];
  client: OpenAI;
  templates: ReviewPromptTemplates;
  model: ReviewModel;
  reviewerLogin: string;
  repoFullName: string;
  concurrency: number;
  answerConstraint?: AnswerConstraint;
}): Promise<{
  texts: (string | undefined)[];
  /** The comments as the model wrote them (before sanitising), beside `texts`. */
  bodies: (string | undefined)[];
  failedHunks: Record<string, number>;
}> {
  const settled = await mapWithLimit({
    items: params.hunks,
    limit: createConcurrencyLimit(params.concurrency),
    worker: async (hunk) => {
      const answer = await askModelForHunk({
        client: params.client,
        model: modelNameOf(params.model),
        messages: buildModelMessages({ ...params, hunk }),
        ...hunkAnswerRequest({
          answerConstraint: params.answerConstraint,
          regex: COMMENT_ONLY_REGEX,
        }),
      });
      const parsed = parseAnswer(answer.text);
      return parsed.kind === "comment" ? parsed.body : undefined;
    },
  });
  const failedHunks: Record<string, number> = {};
  const bodies = settled.map((result) => {
    if (result.status === "fulfilled") return result.value;
    const reason = failureReason(result.reason);
    failedHunks[reason] = (failedHunks[reason] ?? 0) + 1;
    return undefined;
  });
  const texts = bodies.map((body) => (body === undefined ? undefined : commentText(body)));
  return { texts, bodies, failedHunks };
}
