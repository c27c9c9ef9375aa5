/**
 * The hidden marker a complete review carries (every hunk read, none failed): a later mention of
 * the same reviewer on the same head has nothing left to do.
 */
export function completeReviewMarker(params: { reviewerLogin: string; headSha: string }): string {
  return `<!-- tech-lead-bot:complete reviewer=${params.reviewerLogin.toLowerCase()} head=${params.headSha} -->`;
}
