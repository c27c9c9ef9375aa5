/**
 * The one-line rules the verdict model must beat, fixed before any model was measured and not
 * fitted to any repository: generic English and common commit conventions only.
 */

/** "The message mentions a backport or a stable version." */
export const KEYWORD_RULE =
  /\bback-?port(?:s|ed|ing)?\b|\bcherry[- ]?pick(?:s|ed)?\b|\bstable\b|\bLTS\b|\b(?:release|branch)[-/ ]?v?\d+\.\d+(?:\.x)?\b|\bv?\d+\.\d+\.x\b/i;

/** "The subject marks a bug fix" (a fix word or a bug tag such as BUG/…, fix:, fix(scope):). */
export const BUGFIX_RULE = /\b(?:fix(?:e[sd]|ing)?|bug(?:fix)?|hotfix|regression)\b/i;

/** Whether the message mentions a backport or a stable version. */
export function keywordRuleSaysBackport(message: string): boolean {
  return KEYWORD_RULE.test(message);
}

/** Whether the subject marks a bug fix. */
export function bugfixRuleSaysBackport(subject: string): boolean {
  return BUGFIX_RULE.test(subject);
}
