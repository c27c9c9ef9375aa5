import { randomBytes } from "node:crypto";
import type { OAuthStateRecord } from "./oauth-state-store.js";
import type { OAuthPage } from "./render-oauth-page.js";
import { hashNonce, readCookie } from "./session-cookie.js";

/**
 * The cookie that ties OAuth states to the browser that started them: a random nonce, HttpOnly
 * and SameSite=Lax (so GitHub's redirect back to the callback, a top-level GET, still carries
 * it). Each state stores the nonce's SHA-256; the callback needs the cookie that hashes to it.
 */
export const BROWSER_BINDING_COOKIE = "tlb_browser";
const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The binding to store with a new state, and the cookie to set with the redirect to GitHub.
 * A browser that already holds a nonce keeps it, so two flows started in one browser (a
 * dashboard sign-in and a run's sign-in link in two tabs) do not cancel each other.
 */
export function bindBrowser(params: {
  cookieHeader: string | undefined;
  publicUrl: string;
  ttlSeconds: number;
}): { browserBinding: string; setCookie: string } {
  const held = readCookie(params.cookieHeader, BROWSER_BINDING_COOKIE);
  const nonce =
    held !== undefined && NONCE_PATTERN.test(held) ? held : randomBytes(32).toString("base64url");
  const secure = params.publicUrl.startsWith("https:") ? "; Secure" : "";
  return {
    browserBinding: hashNonce(nonce),
    setCookie: `${BROWSER_BINDING_COOKIE}=${nonce}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${params.ttlSeconds}${secure}`,
  };
}

/** Whether the callback arrives in the browser the state was bound to (never for an unbound one). */
export function isBoundBrowser(
  record: OAuthStateRecord,
  cookieHeader: string | undefined,
): boolean {
  const nonce = readCookie(cookieHeader, BROWSER_BINDING_COOKIE);
  return (
    record.browserBinding !== undefined &&
    nonce !== undefined &&
    NONCE_PATTERN.test(nonce) &&
    hashNonce(nonce) === record.browserBinding
  );
}

const startAgain: Record<OAuthStateRecord["purpose"], string> = {
  "sign-in": "Open the dashboard again in this browser to sign in.",
  authorise: "Open the sign-in link in the pull request again, in this browser.",
  revoke: "To revoke, open /oauth/revoke on this bot again, in this browser.",
};

/** The page for a callback that arrives in another browser than the one that started it. */
export function otherBrowserPage(purpose: OAuthStateRecord["purpose"]): OAuthPage {
  return {
    statusCode: 400,
    title: "Started in another browser",
    paragraphs: [
      "This was started in another browser (or its cookie expired), so nothing was saved or changed.",
      startAgain[purpose],
    ],
  };
}
