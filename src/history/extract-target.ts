/** Longest one-line target kept; longer first sentences are cut at a word boundary. */
export const TARGET_MAX_CHARS = 200;

const suggestionPattern = /```suggestion[^\n]*\n([\s\S]*?)```/g;

/**
 * Rewrites GitHub suggestion blocks as plain text (`suggestion: <code>`), so a suggestion-only
 * comment still yields a one-line target and the suggested code is kept as text.
 */
export function flattenSuggestions(text: string): string {
  return text.replace(suggestionPattern, (_block, code: string) => {
    const lines = code
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    return lines.length > 0
      ? `suggestion: \`${lines.join(" ")}\``
      : "suggestion: delete these lines";
  });
}

const abbreviations = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|approx|incl|resp)\.$/i;

function firstSentenceEnd(line: string): number | undefined {
  for (const match of line.matchAll(/[.!?](?=\s)/g)) {
    if (match[0] === "." && abbreviations.test(line.slice(0, match.index + 1))) continue;
    return match.index;
  }
  return undefined;
}

/**
 * The one-line training target of a comment: its first sentence or first line, whichever ends
 * first, whitespace collapsed, trimmed, cut to {@link TARGET_MAX_CHARS} at a word boundary.
 * A sentence ends at `.`, `!` or `?` followed by a space, except after abbreviations like `e.g.`
 * (so `v1.2`, `foo.bar()` and `e.g. this` do not end it).
 */
export function extractTarget(text: string): string {
  const flat = flattenSuggestions(text).trim();
  const firstLine = flat.split("\n").find((line) => line.trim().length > 0) ?? "";
  const end = firstSentenceEnd(firstLine);
  const sentence = end === undefined ? firstLine : firstLine.slice(0, end + 1);
  const collapsed = sentence.replace(/\s+/g, " ").trim();
  if (collapsed.length <= TARGET_MAX_CHARS) return collapsed;
  const cut = collapsed.slice(0, TARGET_MAX_CHARS - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > TARGET_MAX_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
