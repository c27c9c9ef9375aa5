/**
 * Phrases of a commit message a backport maintainer looks for: intent ("should be backported",
 * "no backport needed"), affected versions, referenced issues and commits, risk words. Generic
 * English and common trailers; nothing of one project.
 */
const HINT_LINE =
  /back-?port|cherry[- ]?pick|\bstable\b|\bLTS\b|\b(?:release|branch|since|introduced in|affects?)\b[^.]*\bv?\d+\.\d+|\bv?\d+\.\d+\.x\b|regress|\bCVE-\d|security|crash|panic|leak|deadlock|\bfix(?:es|ed)?\b\s*[:#]?\s*(?:#|https?:\/\/)|\bcloses?\s+#|\bintroduced (?:by|in)\b|\bdepends on\b|\brequires?\b|\bafter\b.*\bcommit\b|\brisk/i;

const MAX_HINTS = 3;
const MAX_HINT_CHARS = 160;

/** Up to three body lines of the message worth quoting in a reason (trailers of people excluded). */
export function findMessageHints(message: string): string[] {
  const hints: string[] = [];
  for (const raw of message.split("\n").slice(1)) {
    const line = raw.trim();
    if (line === "" || /^[A-Za-z-]+-by:/i.test(line) || /^\(cherry picked from/i.test(line))
      continue;
    if (!HINT_LINE.test(line)) continue;
    hints.push(line.length > MAX_HINT_CHARS ? `${line.slice(0, MAX_HINT_CHARS - 1)}…` : line);
    if (hints.length === MAX_HINTS) break;
  }
  return hints;
}

/** Issue numbers (#123) and commit ids (7 to 40 hex digits, with a letter and a digit) in a text. */
export function findReferences(text: string): { issues: string[]; commits: string[] } {
  const issues = [...text.matchAll(/(?<![\w&])#(\d{1,7})\b/g)].map((match) => match[1] as string);
  const commits = [...text.matchAll(/\b([0-9a-f]{7,40})\b/g)]
    .map((match) => match[1] as string)
    .filter((sha) => /[a-f]/.test(sha) && /\d/.test(sha));
  return { issues: [...new Set(issues)], commits: [...new Set(commits)] };
}
