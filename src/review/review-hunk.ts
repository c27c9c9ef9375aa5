import type OpenAI from "openai";
import { type AnswerConstraint, answerConstraintFields } from "../llm/answer-constraint.js";
import { askModelForHunk } from "../llm/ask-model-for-hunk.js";
import { parseAnswer } from "../prompts/parse-answer.js";
import { ANSWER_REGEX, ANSWER_STOP, NO_COMMENT } from "../prompts/review-answer.js";
import { buildModelMessages } from "./build-model-messages.js";
import type { ReviewPromptTemplates } from "./load-review-prompts.js";
import { type CommentPlacement, mapCommentLine } from "./map-comment-line.js";
import type { Hunk } from "./parse-diff-hunks.js";
import { modelNameOf, type ReviewModel } from "./review-model.js";
import { scoreHunk } from "./score-hunk.js";

/**
 * A hard cap on an answer's tokens: one line of at most MAX_ANSWER_COMMENT_CHARS (200) characters
 * plus the anchor is ~55 tokens of prose, more for code; answers normally end well before it, at
 * the line's end (ANSWER_STOP) or when the format is complete.
 */
export const MAX_ANSWER_TOKENS = 96;

/**
 * How every hunk answer is asked for (the review, the evaluation, the serving bench): held to
 * `regex` by the server's decoding constraint, ended at the line's end, capped at
 * MAX_ANSWER_TOKENS.
 */
export function hunkAnswerRequest(params: {
  answerConstraint?: AnswerConstraint | undefined;
  regex?: string;
}): { maxTokens: number; stop: readonly string[]; extraBody: Record<string, unknown> } {
  return {
    maxTokens: MAX_ANSWER_TOKENS,
    stop: [ANSWER_STOP],
    extraBody: answerConstraintFields(
      params.answerConstraint ?? "structured_outputs",
      params.regex ?? ANSWER_REGEX,
    ),
  };
}

/** Who is asked about a hunk, and how: the reviewer's model through the LLM server. */
export interface ReviewerModelRequest {
  client: OpenAI;
  templates: ReviewPromptTemplates;
  model: ReviewModel;
  reviewerLogin: string;
  repoFullName: string;
  /** How to hold the model to the answer format; vLLM's structured outputs unless told. */
  answerConstraint?: AnswerConstraint | undefined;
}

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
export async function reviewHunk(
  params: ReviewerModelRequest & { hunk: Hunk },
): Promise<HunkVerdict> {
  const { hunk, model } = params;
  const messages = buildModelMessages(params);
  const answer = await askModelForHunk({
    client: params.client,
    model: modelNameOf(model),
    messages,
    ...hunkAnswerRequest({ answerConstraint: params.answerConstraint }),
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
