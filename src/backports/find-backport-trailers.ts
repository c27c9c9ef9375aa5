/**
 * The mechanical notes tools and widely used conventions leave in a backported commit's message,
 * each capturing the original commit's id:
 * - `git cherry-pick -x`: "(cherry picked from commit <sha>)";
 * - "Backport of <sha> from main", "backported from <sha>" (e.g. Django's stable branches);
 * - "commit <sha> upstream." and "Upstream commit <sha>" (Linux stable and its followers);
 * - "cherry-picked from <sha>", "Original commit: <sha>", "X-original-commit: <sha>".
 * These are conventions of tools and of many projects, not of one repository.
 */
const TRAILER_PATTERNS: RegExp[] = [
  /cherry[- ]picked from (?:commit )?([0-9a-f]{7,40})\b/gi,
  /\bback-?port(?:ed)? (?:of|from) (?:commit )?([0-9a-f]{7,40})\b/gi,
  /^commit ([0-9a-f]{40}) upstream\b/gim,
  /\bupstream commit:? ([0-9a-f]{12,40})\b/gi,
  /\b(?:x-)?original[- ]commit:? ([0-9a-f]{7,40})\b/gi,
];

/** The commit ids (lower case, possibly abbreviated) a commit message says it was copied from. */
export function findBackportTrailers(message: string): string[] {
  const found = new Set<string>();
  for (const pattern of TRAILER_PATTERNS) {
    for (const match of message.matchAll(pattern)) {
      const sha = match[1];
      if (sha) found.add(sha.toLowerCase());
    }
  }
  return [...found];
}
