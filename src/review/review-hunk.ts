import type OpenAI from "openai";
import { type AnswerConstraint, answerConstraintFields } from "../llm/answer-constraint.js";
import { askModelForHunk } from "../llm/ask-model-for-hunk.js";
import { parseAnswer } from "../prompts/parse-answer.js";
import { ANSWER_REGEX, NO_COMMENT } from "../prompts/review-answer.js";
import { buildModelMessages } from "./build-model-messages.js";
import type { ReviewPromptTemplates } from "./load-review-prompts.js";
import { type CommentPlacement, mapCommentLine } from "./map-comment-line.js";
import type { Hunk } from "./parse-diff-hunks.js";
import { modelNameOf, type ReviewModel } from "./review-model.js";
import { scoreHunk } from "./score-hunk.js";

/** One line of at most 200 characters plus the anchor; a little slack for the tokenizer. */
export const MAX_ANSWER_TOKENS = 96;

/** What the reviewer's model says about one hunk. */
export type HunkVerdict =
  | { kind: "no-comment"; score: number | undefined }
  | {
      kind: "comment";
      /** The comment as the model wrote it, not yet sanitised. */
      body: string;
      placement: CommentPlacement;
      /** True when the model's line was not commentable and the last changed line was used. */
      usedFallbackLine: boolean;
      score: number | undefined;
    };

/**
 * Asks the reviewer's model about one hunk and reads the answer: no comment, or a comment placed
 * on a line GitHub accepts for this hunk, with the probability the reviewer would comment.
 * Needs no GitHub access, so the evaluation stage can run it on holdout hunks.
 * Throws when the LLM fails (after its retries) or the answer breaks the format.
 */
export async function reviewHunk(params: {
  client: OpenAI;
  templates: ReviewPromptTemplates;
  model: ReviewModel;
  reviewerLogin: string;
  repoFullName: string;
  hunk: Hunk;
  /** How to hold the model to the answer format; vLLM's structured outputs unless told. */
  answerConstraint?: AnswerConstraint;
}): Promise<HunkVerdict> {
  const { hunk, model } = params;
  const messages = buildModelMessages(params);
  const answer = await askModelForHunk({
    client: params.client,
    model: modelNameOf(model),
    messages,
    maxTokens: MAX_ANSWER_TOKENS,
    extraBody: answerConstraintFields(
      params.answerConstraint ?? "structured_outputs",
      ANSWER_REGEX,
    ),
  });
  const score = scoreHunk({ tokens: answer.tokens, noCommentAnswer: NO_COMMENT });
  const parsed = parseAnswer(answer.text);
  if (parsed.kind === "no-comment") return { kind: "no-comment", score };
  const { placement, usedFallback } = mapCommentLine({
    hunk,
    aimed: { line: parsed.line, side: parsed.side },
  });
  return { kind: "comment", body: parsed.body, placement, usedFallbackLine: usedFallback, score };
}
