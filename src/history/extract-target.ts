/** Longest one-line target kept; longer first sentences are cut at a word boundary. */
export const TARGET_MAX_CHARS = 200;

const suggestionPattern = /```suggestion[^\n]*\n([\s\S]*?)```/g;
const fencePattern = /```[^\n]*\n([\s\S]*?)```/g;
const urlPattern = /<?https?:\/\/[^\s>)]+>?/g;

function codeLines(code: string): string[] {
  return code
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * Rewrites GitHub suggestion blocks as plain text (`suggestion: <code>`), so a suggestion-only
 * comment still yields a one-line target and the suggested code is kept as text.
 */
export function flattenSuggestions(text: string): string {
  return text.replace(suggestionPattern, (_block, code: string) => {
    const lines = codeLines(code);
    return lines.length > 0
      ? `suggestion: \`${lines.join(" ")}\``
      : "suggestion: delete these lines";
  });
}

/** Other fenced code blocks as one inline code span, so a fence never becomes a bare "```". */
function flattenFences(text: string): string {
  return text.replace(fencePattern, (_block, code: string) => {
    const lines = codeLines(code);
    return lines.length > 0 ? `\`${lines.join(" ")}\`` : "";
  });
}

/** True when a text says nothing once its links are gone (a bare commit or file URL). */
export function isLinkOnly(text: string): boolean {
  const withoutLinks = text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(urlPattern, " ");
  return (
    /https?:\/\//.test(text) && !/[\p{L}\p{N}]/u.test(withoutLinks.replace(/\b(see|cf)\b/gi, ""))
  );
}

/** A lead-in that says nothing by itself: "nit:", "style nit:", "Also here:", "suggestion:". */
function isBareLabel(line: string): boolean {
  return /^[\p{L}\s-]{1,24}:$/u.test(line.trim());
}

const abbreviations = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|approx|incl|resp)\.$/i;

function firstSentenceEnd(line: string): number | undefined {
  for (const match of line.matchAll(/[.!?](?=\s)/g)) {
    if (match[0] === "." && abbreviations.test(line.slice(0, match.index + 1))) continue;
    if (line.slice(Math.max(0, match.index - 2), match.index + 1) === "...") continue;
    return match.index;
  }
  return undefined;
}

/**
 * The one-line training target of a comment: its first *meaningful* sentence, whitespace
 * collapsed, trimmed, cut to {@link TARGET_MAX_CHARS} at a word boundary.
 *
 * - Suggestion blocks read as `suggestion: <code>`, other code fences as inline code.
 * - Lines that are only a link are skipped (a commit URL is not something a model can say).
 * - A bare lead-in such as `nit:` takes the next line with it, so `nit:` followed by a
 *   suggestion block becomes `nit: suggestion: <code>`, not a bare "nit:".
 * - A sentence ends at `.`, `!` or `?` followed by a space, except after abbreviations like
 *   `e.g.` (so `v1.2`, `foo.bar()` and `e.g. this` do not end it).
 *
 * Returns "" when nothing meaningful is left (e.g. a link-only comment).
 */
export function extractTarget(text: string): string {
  const lines = flattenFences(flattenSuggestions(text))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !isLinkOnly(line));
  const [first = "", second] = lines;
  const joined = isBareLabel(first) && second !== undefined ? `${first} ${second}` : first;
  // A leading link ("<commit URL> ... because") is where, not what: the words after it are.
  const lead = joined.replace(/^(?:<?https?:\/\/\S+>?\s+)+/, "");
  if (isBareLabel(lead)) return "";
  const end = firstSentenceEnd(lead);
  const sentence = end === undefined ? lead : lead.slice(0, end + 1);
  const collapsed = sentence.replace(/\s+/g, " ").trim();
  if (collapsed.length <= TARGET_MAX_CHARS) return collapsed;
  const cut = collapsed.slice(0, TARGET_MAX_CHARS - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > TARGET_MAX_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
