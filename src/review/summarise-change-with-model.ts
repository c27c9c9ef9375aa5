import type OpenAI from "openai";
import { askModelForHunk } from "../llm/ask-model-for-hunk.js";
import { fillTemplate } from "../prompts/fill-template.js";
import type { ReviewPromptTemplates } from "./load-review-prompts.js";
import type { DiffFile } from "./parse-diff-hunks.js";
import { sanitiseComment } from "./sanitise-comment.js";

const MAX_SUMMARY_TOKENS = 80;

/**
 * Asks the base model for the review's opening sentence about what the PR changes. The answer is
 * cleaned like a comment (no markup, no live mentions) and cut to its first sentence. Throws when
 * the model fails or says nothing usable; the caller falls back to a summary built from counts.
 */
export async function summariseChangeWithModel(params: {
  client: OpenAI;
  model: string;
  templates: ReviewPromptTemplates;
  files: readonly DiffFile[];
  maxChars: number;
}): Promise<string> {
  const fileList = params.files
    .map((file) => {
      const lines = file.hunks.flatMap((hunk) => hunk.lines);
      const added = lines.filter((line) => line.kind === "add").length;
      const deleted = lines.filter((line) => line.kind === "del").length;
      return `${file.path} (+${added} −${deleted})`;
    })
    .join("\n");
  const excerpt = params.files
    .flatMap((file) =>
      file.hunks.flatMap((hunk) =>
        hunk.lines
          .filter((line) => line.kind !== "context")
          .map((line) => `${line.kind === "add" ? "+" : "-"}${line.content}`),
      ),
    )
    .join("\n")
    .slice(0, Math.max(0, params.maxChars - fileList.length));
  const answer = await askModelForHunk({
    client: params.client,
    model: params.model,
    messages: [
      { role: "system", content: params.templates.summary },
      {
        role: "user",
        content: fillTemplate(params.templates.summaryDiff, { files: fileList, excerpt }),
      },
    ],
    maxTokens: MAX_SUMMARY_TOKENS,
  });
  const cleaned = sanitiseComment(answer.text);
  if (cleaned.kind === "empty") throw new Error("The model's summary was empty after cleaning");
  const firstSentence = /^.*?[.!?](?=\s|$)/.exec(cleaned.text)?.[0] ?? cleaned.text;
  return firstSentence;
}
