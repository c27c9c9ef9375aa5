import { bindBrowser } from "./browser-binding.js";
import type { OAuthClient, SignedInUser } from "./create-oauth-client.js";
import type { OAuthStateRecordFor, OAuthStateStore } from "./oauth-state-store.js";
import type { OAuthRedirect } from "./render-oauth-page.js";
import type { SessionCookies } from "./session-cookie.js";
import type { TokenVault } from "./token-vault.js";

/** Where a sign-in may send the browser back to: a dashboard path on this server, nothing else. */
export function safeReturnPath(candidate: string | null | undefined): string {
  if (candidate && /^\/dashboard(?:[/?#]|$)/.test(candidate) && !candidate.includes("\\"))
    return candidate;
  return "/dashboard";
}

/**
 * Starts a dashboard sign-in through the same OAuth app and callback as the requester sign-in: a
 * single-use state that remembers where to go back to, bound to this browser (see bindBrowser).
 * @returns GitHub's authorise URL and the binding cookie to set with the redirect.
 */
export async function startDashboardSignIn(params: {
  stateStore: OAuthStateStore;
  oauthClient: OAuthClient;
  publicUrl: string;
  returnTo: string;
  stateTtlSeconds: number;
  /** The request's Cookie header: a browser that holds a binding nonce keeps it. */
  cookieHeader?: string | undefined;
}): Promise<OAuthRedirect> {
  const { browserBinding, setCookie } = bindBrowser({
    cookieHeader: params.cookieHeader,
    publicUrl: params.publicUrl,
    ttlSeconds: params.stateTtlSeconds,
  });
  const state = await params.stateStore.create({
    purpose: "sign-in",
    returnTo: safeReturnPath(params.returnTo),
    browserBinding,
  });
  return {
    redirect: params.oauthClient.buildAuthorizeUrl({
      state,
      redirectUrl: `${params.publicUrl}/oauth/callback`,
    }),
    setCookies: [setCookie],
  };
}

/**
 * Finishes a dashboard sign-in: keeps the person's token in the vault (pages read with it, so
 * they see only what GitHub lets them see) and signs the browser in with a session cookie.
 */
export async function completeDashboardSignIn(
  params: SignedInUser & {
    vault: TokenVault;
    sessions: SessionCookies;
    record: OAuthStateRecordFor<"sign-in">;
  },
): Promise<OAuthRedirect> {
  await params.vault.save({ ...params.grant, userId: params.user.id, login: params.user.login });
  return {
    redirect: safeReturnPath(params.record.returnTo),
    setCookies: [params.sessions.issue(params.user)],
  };
}
