import { joinInertSegments, renderInertMarkdown } from "../github/render-inert-markdown.js";
import { MAX_ANSWER_COMMENT_CHARS } from "../prompts/review-answer.js";

/**
 * Longest comment the bot posts; a reviewer's inline remark is a sentence, not an essay. The
 * answer format bounds what the model writes to the same length.
 */
export const MAX_COMMENT_CHARS = MAX_ANSWER_COMMENT_CHARS;

export type SanitisedComment =
  | { kind: "comment"; text: string }
  | { kind: "empty"; reason: string };

/**
 * Turns a model's comment into something safe to post as the reviewer's predicted remark: one
 * line of at most 200 characters with nothing live in it (see renderInertMarkdown): link text
 * without its address, no images, raw HTML or hidden markers, no mention that pings anyone, no
 * issue reference that links or cross-references.
 */
export function sanitiseComment(raw: string): SanitisedComment {
  const text = joinInertSegments(renderInertMarkdown(raw), MAX_COMMENT_CHARS);
  if (text.replace(/…$/, "").trim().length === 0)
    return { kind: "empty", reason: "nothing left after removing markup" };
  return { kind: "comment", text };
}
