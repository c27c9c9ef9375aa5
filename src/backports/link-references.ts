import { escapeHtml } from "../shared/escape-html.js";

/**
 * A reason as HTML: escaped, line breaks kept, and — when the repository has a web address —
 * issue numbers (#123) linked to its issues and commit ids (7 to 40 hex digits with a letter and
 * a digit) to its commits. Nothing of the text itself becomes markup.
 */
export function linkReferences(text: string, webUrl?: string): string {
  const escaped = escapeHtml(text);
  if (!webUrl) return escaped.replace(/\n/g, "<br>");
  const base = escapeHtml(webUrl.replace(/\/+$/, ""));
  return escaped
    .replace(/\b[0-9a-f]{7,40}\b|(?<![\w&])#(\d{1,7})\b/g, (match, issue: string | undefined) => {
      if (issue !== undefined) return `<a href="${base}/issues/${issue}">#${issue}</a>`;
      if (!/[a-f]/.test(match) || !/\d/.test(match)) return match;
      return `<a href="${base}/commit/${match}">${match}</a>`;
    })
    .replace(/\n/g, "<br>");
}
