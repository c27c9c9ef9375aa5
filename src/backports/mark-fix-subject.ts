import { subjectTag } from "./extract-commit-features.js";
import { BUGFIX_RULE } from "./one-line-rules.js";

const DOC_FIX = /\b(?:doc|docs|documentation|man ?page)\b.*\b(?:fix|typo|correct)|\btypos?\b/i;
const FIX_TAG = /\b(?:bug|fix|hotfix|doc|docs)\b/i;

/**
 * Whether a subject marks a bug or doc fix, so the report sets it in bold even when the verdict is
 * N. `configured` (the repository's own convention, from the config or --bold) decides alone when
 * given; otherwise the generic patterns: a fix word, a bug/fix/doc subject tag in any spelling the
 * repository uses ("BUG/MEDIUM:", "fix(cri):", "DOC:"), or a doc typo fix.
 */
export function marksFix(subject: string, configured?: RegExp): boolean {
  if (configured) return configured.test(subject);
  const tag = subjectTag(subject).replace(/[^a-z]+/g, " ");
  return BUGFIX_RULE.test(subject) || FIX_TAG.test(tag) || DOC_FIX.test(subject);
}
