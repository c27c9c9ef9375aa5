import type { ChatMessage } from "../llm/ask-model-for-hunk.js";
import { findPrecedents } from "../retrieval/find-precedents.js";
import { PRECEDENTS_PER_HUNK } from "../retrieval/pick-precedents.js";
import { hunkCode } from "../retrieval/precedent-index.js";
import { buildHunkMessages } from "./build-hunk-messages.js";
import type { ReviewPromptTemplates } from "./load-review-prompts.js";
import type { Hunk } from "./parse-diff-hunks.js";
import { pickFewShotExamples } from "./pick-few-shot-examples.js";
import type { ReviewModel } from "./review-model.js";

/** Few-shot examples per hunk: enough to show a voice, small enough for an 8k context. */
export const FEW_SHOT_EXAMPLES_PER_HUNK = 4;

/**
 * What the reviewer's model is sent for one hunk: few-shot examples picked for it (base model),
 * the system turn as the adapter was trained on it, and the hunk's nearest precedents from the
 * model's index (src/retrieval) — the same for the review and for every evaluation of it.
 */
export function buildModelMessages(params: {
  templates: ReviewPromptTemplates;
  model: ReviewModel;
  reviewerLogin: string;
  repoFullName: string;
  hunk: Hunk;
}): ChatMessage[] {
  const { hunk, model } = params;
  const examples =
    model.kind === "few-shot"
      ? pickFewShotExamples({ hunk, examples: model.examples, count: FEW_SHOT_EXAMPLES_PER_HUNK })
      : undefined;
  const precedents = model.precedents
    ? findPrecedents({
        index: model.precedents,
        query: { path: hunk.path, code: hunkCode(hunk) },
        k: PRECEDENTS_PER_HUNK,
      })
    : [];
  return buildHunkMessages({
    templates: params.templates,
    reviewerLogin: params.reviewerLogin,
    repoFullName: params.repoFullName,
    hunk,
    precedents,
    ...(examples ? { examples } : {}),
    ...(model.kind === "adapter" && model.systemTurn ? { systemTurn: model.systemTurn } : {}),
  });
}
