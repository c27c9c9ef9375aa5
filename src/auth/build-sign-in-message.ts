export interface BuildSignInMessageParams {
  requesterLogin: string;
  reviewerLogin: string;
  signInUrl: string;
  /** How long the link works, from OAUTH_STATE_TTL_SECONDS. */
  linkTtlSeconds: number;
}

/**
 * Markdown for the status comment when the requester must sign in. Addressed to the requester (an
 * @mention, so they are notified); the reviewer is named in code so they are not pinged.
 */
export function buildSignInMessage({
  requesterLogin,
  reviewerLogin,
  signInUrl,
  linkTtlSeconds,
}: BuildSignInMessageParams): string {
  const minutes = Math.max(1, Math.round(linkTtlSeconds / 60));
  return [
    `@${requesterLogin}, to learn how \`${reviewerLogin}\` reviews I read their past review comments with *your* GitHub access, so I only ever see what you can see.`,
    "",
    `**[Sign in with GitHub](${signInUrl})** — the link works for ${minutes} minutes and only for @${requesterLogin}.`,
    "",
    "The review continues by itself once you have signed in; you will not be asked again until you revoke access.",
  ].join("\n");
}
