import { neutraliseMentions } from "./neutralise-mentions.js";

/**
 * `content` as one Markdown code span nothing can break out of: the fence is one backtick longer
 * than the longest run inside, so no backtick in the content can close it, and inside a code
 * span GitHub renders no mention, link, image or HTML. Mentions are neutralised as well.
 */
export function codeSpan(content: string): string {
  const inert = neutraliseMentions(content.replace(/[\r\n]+/g, " "));
  const longestRun = Math.max(0, ...(inert.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  // CommonMark strips one space on each side, so a span may start or end with a backtick.
  const padded = /^`|`$/.test(inert) ? ` ${inert} ` : inert;
  return `${fence}${padded}${fence}`;
}

/**
 * Quotes text someone wrote (a word of their command) back to them as an unbreakable code span
 * (see {@link codeSpan}), shortened to `maxChars` first: the text is cut, never the span.
 */
export function quoteInert(text: string, maxChars = 40): string {
  return codeSpan(text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text);
}
