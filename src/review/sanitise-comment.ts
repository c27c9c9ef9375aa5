/** Longest comment the bot posts; a reviewer's inline remark is a sentence, not an essay. */
export const MAX_COMMENT_CHARS = 200;

export type SanitisedComment =
  | { kind: "comment"; text: string }
  | { kind: "empty"; reason: string };

const CODE_FENCE = /```[^\n]*\n?|~~~[^\n]*\n?/g;
const HTML_COMMENT = /<!--[\s\S]*?(-->|$)/g;
const MARKDOWN_IMAGE = /!\[[^\]]*\]\([^)]*\)/g;
const HTML_TAG = /<\/?[A-Za-z][^<>]*>/g;
// A GitHub mention: @user or @org/team, not preceded by a word char (so e-mail addresses stay).
const MENTION = /(^|[^\w])@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\/[A-Za-z0-9_.-]+)?)/g;

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

/**
 * Puts a zero-width space after the `@` of every mention, as Dependabot does in release notes:
 * the text still reads "@alice" but GitHub neither links nor notifies anyone. Works inside and
 * outside code spans, so unbalanced backticks cannot re-expose a mention.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(MENTION, (_match, before: string, name: string) => `${before}@\u200B${name}`);
}

function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const lastSpace = cut.lastIndexOf(" ");
  const shortened = lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut;
  return `${shortened.trimEnd()}…`;
}
