import { randomBytes } from "node:crypto";
import type { OAuthClient, UserTokenGrant } from "./create-oauth-client.js";
import type { OAuthStateRecord, OAuthStateStore } from "./oauth-state-store.js";
import type { OAuthPage, OAuthRedirect } from "./render-oauth-page.js";
import { hashNonce, readCookie, type SessionCookies } from "./session-cookie.js";
import type { TokenVault } from "./token-vault.js";

/** Ties a dashboard sign-in to the browser that started it (no login CSRF). */
export const SIGN_IN_BINDING_COOKIE = "tlb_sign_in";

/** Where a sign-in may send the browser back to: a dashboard path on this server, nothing else. */
export function safeReturnPath(candidate: string | null | undefined): string {
  if (candidate && /^\/dashboard(?:[/?#]|$)/.test(candidate) && !candidate.includes("\\"))
    return candidate;
  return "/dashboard";
}

/**
 * Starts a dashboard sign-in through the same OAuth app and callback as the requester sign-in: a
 * single-use state that remembers where to go back to, bound to a nonce cookie in this browser.
 * @returns GitHub's authorise URL and the binding cookie to set with the redirect.
 */
export async function startDashboardSignIn(params: {
  stateStore: OAuthStateStore;
  oauthClient: OAuthClient;
  publicUrl: string;
  returnTo: string;
  stateTtlSeconds: number;
}): Promise<OAuthRedirect> {
  const nonce = randomBytes(32).toString("base64url");
  const state = await params.stateStore.create({
    purpose: "sign-in",
    returnTo: safeReturnPath(params.returnTo),
    browserBinding: hashNonce(nonce),
  });
  const secure = params.publicUrl.startsWith("https:") ? "; Secure" : "";
  return {
    redirect: params.oauthClient.buildAuthorizeUrl({
      state,
      redirectUrl: `${params.publicUrl}/oauth/callback`,
    }),
    setCookies: [
      `${SIGN_IN_BINDING_COOKIE}=${nonce}; Path=/oauth/; HttpOnly; SameSite=Lax; Max-Age=${params.stateTtlSeconds}${secure}`,
    ],
  };
}

/** Whether the callback arrives in the browser that started the sign-in. */
export function isSameBrowser(
  record: Extract<OAuthStateRecord, { purpose: "sign-in" }>,
  cookieHeader: string | undefined,
): boolean {
  const nonce = readCookie(cookieHeader, SIGN_IN_BINDING_COOKIE);
  return nonce !== undefined && nonce !== "" && hashNonce(nonce) === record.browserBinding;
}

/**
 * Finishes a dashboard sign-in: keeps the person's token in the vault (pages read with it, so
 * they see only what GitHub lets them see) and signs the browser in with a session cookie.
 */
export async function completeDashboardSignIn(params: {
  vault: TokenVault;
  sessions: SessionCookies;
  record: Extract<OAuthStateRecord, { purpose: "sign-in" }>;
  grant: UserTokenGrant;
  user: { id: number; login: string };
}): Promise<OAuthRedirect> {
  await params.vault.save({ ...params.grant, userId: params.user.id, login: params.user.login });
  return {
    redirect: safeReturnPath(params.record.returnTo),
    setCookies: [
      params.sessions.issue(params.user),
      `${SIGN_IN_BINDING_COOKIE}=; Path=/oauth/; HttpOnly; SameSite=Lax; Max-Age=0`,
    ],
  };
}

/** The page for a callback that arrives in another browser than the one that started it. */
export const otherBrowserPage: OAuthPage = {
  statusCode: 400,
  title: "Sign-in started elsewhere",
  paragraphs: [
    "This sign-in was started in another browser (or its cookie expired). Nothing was saved.",
    "Open the dashboard again in this browser to sign in.",
  ],
};
