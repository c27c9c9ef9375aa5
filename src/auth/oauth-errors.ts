/**
 * Errors of the OAuth flow. Octokit's own errors carry the request body (client secret, code,
 * refresh token), so they are never passed on as `cause`: only GitHub's status and error code are.
 */

/** GitHub refused a code or refresh token (used, expired or revoked): the user must sign in again. */
export class OAuthGrantRejectedError extends Error {
  readonly githubError: string;

  constructor(message: string, githubError: string) {
    super(message);
    this.name = "OAuthGrantRejectedError";
    this.githubError = githubError;
  }
}

/** GitHub answered 401 to a user token: it was revoked or expired. */
export class UserTokenRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserTokenRejectedError";
  }
}

/** GitHub could not be reached or failed; retrying later may work. Carries no secrets. */
export class GitHubOAuthUnavailableError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined) {
    super(message);
    this.name = "GitHubOAuthUnavailableError";
    this.status = status;
  }
}

interface OctokitErrorShape {
  status?: unknown;
  response?: { data?: unknown };
}

/**
 * Turns an error from @octokit/oauth-methods into one of ours without copying its request
 * (which holds the client secret and the code or refresh token).
 */
export function toSafeOAuthError(error: unknown, action: string): Error {
  const shaped = (typeof error === "object" && error !== null ? error : {}) as OctokitErrorShape;
  const status = typeof shaped.status === "number" ? shaped.status : undefined;
  const data = shaped.response?.data;
  const githubError =
    typeof data === "object" && data !== null && "error" in data && typeof data.error === "string"
      ? data.error
      : undefined;
  // The token endpoint answers 200 with `{ error }`; oauth-methods turns that into status 400.
  if (githubError !== undefined) {
    return new OAuthGrantRejectedError(
      `GitHub refused to ${action} (${githubError}): the user has to sign in again.`,
      githubError,
    );
  }
  if (status === 401) {
    return new UserTokenRejectedError(
      `GitHub answered 401 when trying to ${action}: the user token was revoked or expired.`,
    );
  }
  return new GitHubOAuthUnavailableError(
    `Could not ${action}: GitHub answered ${status ?? "nothing (network error)"}. Retry later; check GHE_HOST/GHE_PROTOCOL if this persists.`,
    status,
  );
}
