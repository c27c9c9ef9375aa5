import { neutraliseMentions } from "./neutralise-mentions.js";

/**
 * Quotes text someone wrote (a word of their command) back to them as a Markdown code span that
 * nothing can break out of: the fence is one backtick longer than the longest run inside, so no
 * backtick in the text can close it, and inside a code span GitHub renders no mention, link,
 * image or HTML. Mentions are neutralised as well, in case the span is ever cut. Long text is
 * shortened first, never the span itself.
 */
export function quoteInert(text: string, maxChars = 40): string {
  const oneLine = text.replace(/[\r\n]+/g, " ");
  const shortened = oneLine.length > maxChars ? `${oneLine.slice(0, maxChars - 1)}…` : oneLine;
  const content = neutraliseMentions(shortened);
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  // CommonMark strips one space on each side, so a span may start or end with a backtick.
  const padded = /^`|`$/.test(content) ? ` ${content} ` : content;
  return `${fence}${padded}${fence}`;
}
