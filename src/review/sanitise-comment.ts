import { neutraliseMentions } from "../github/neutralise-mentions.js";

/** Longest comment the bot posts; a reviewer's inline remark is a sentence, not an essay. */
export const MAX_COMMENT_CHARS = 200;

export type SanitisedComment =
  | { kind: "comment"; text: string }
  | { kind: "empty"; reason: string };

const CODE_FENCE = /```[^\n]*\n?|~~~[^\n]*\n?/g;
const HTML_COMMENT = /<!--[\s\S]*?(-->|$)/g;
const MARKDOWN_IMAGE = /!\[[^\]]*\]\([^)]*\)/g;
const HTML_TAG = /<\/?[A-Za-z][^<>]*>/g;

/**
 * Turns a model's comment into something safe to post as the reviewer's predicted remark: one
 * line, at most 200 characters, no code fences, no images or raw HTML (no tracking pixels, no
 * hidden markers), and @mentions neutralised so nobody is pinged.
 */
export function sanitiseComment(raw: string): SanitisedComment {
  const text = raw
    .replace(HTML_COMMENT, " ")
    .replace(CODE_FENCE, " ")
    .replace(MARKDOWN_IMAGE, " ")
    .replace(HTML_TAG, " ")
    .replace(/[<>]/g, (char) => (char === "<" ? "‹" : "›"))
    .replace(/\s+/g, " ")
    .trim();
  if (text.length === 0) return { kind: "empty", reason: "nothing left after removing markup" };
  return { kind: "comment", text: truncate(neutraliseMentions(text), MAX_COMMENT_CHARS) };
}

function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const lastSpace = cut.lastIndexOf(" ");
  const shortened = lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut;
  return `${shortened.trimEnd()}…`;
}
