import { getFreshUserToken, type UserTokenDeps } from "./get-fresh-user-token.js";
import type { OAuthStateStore } from "./oauth-state-store.js";
import type { PendingRun } from "./pending-run.js";

export type RequesterToken =
  | { status: "ready"; accessToken: string; login: string }
  | { status: "needs-authorisation"; signInUrl: string };

export interface EnsureRequesterTokenParams extends UserTokenDeps {
  stateStore: OAuthStateStore;
  pendingRun: PendingRun;
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
}

/**
 * The auth stage of a persona run: the requester's GitHub token (refreshed if needed), or a
 * sign-in link bound to this run. Keep the token in memory only: never put it in job data.
 * After sign-in, the OAuth callback hands `pendingRun` to `onAuthorised`, which resumes the run.
 */
export async function ensureRequesterToken(
  params: EnsureRequesterTokenParams,
): Promise<RequesterToken> {
  const fresh = await getFreshUserToken({ ...params, userId: params.pendingRun.requesterId });
  if (fresh.status === "ready") {
    return { status: "ready", accessToken: fresh.token.accessToken, login: fresh.token.login };
  }
  const state = await params.stateStore.create({
    purpose: "authorise",
    pendingRun: params.pendingRun,
  });
  return { status: "needs-authorisation", signInUrl: buildSignInUrl(params.publicUrl, state) };
}

/** The link in the status comment: our own login route, which checks the state, then goes to GitHub. */
export function buildSignInUrl(publicUrl: string, state: string): string {
  return `${publicUrl}/oauth/login?state=${encodeURIComponent(state)}`;
}

export interface HandleRejectedUserTokenParams extends EnsureRequesterTokenParams {
  /** The token GitHub answered 401 to. */
  rejectedAccessToken: string;
}

/**
 * Call when GitHub answers 401 to the requester's token mid-run: deletes the stored pair (unless
 * another worker already replaced it) and returns either the replacement or a fresh sign-in link.
 */
export async function handleRejectedUserToken(
  params: HandleRejectedUserTokenParams,
): Promise<RequesterToken> {
  await params.vault.deleteIfCurrent({
    userId: params.pendingRun.requesterId,
    accessToken: params.rejectedAccessToken,
  });
  return ensureRequesterToken(params);
}
