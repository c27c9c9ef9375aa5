import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** The cookie and form field that carry the revoke page's anti-forgery token. */
export const REVOKE_CSRF_COOKIE = "tlb_revoke_csrf";
export const REVOKE_CSRF_FIELD = "csrf";
const MAX_FORM_BYTES = 4096;

/**
 * A fresh anti-forgery token for the revoke confirmation page: put `token` in the form and send
 * `setCookie`. The cookie is `SameSite=Strict`, so a form on another site that posts to
 * `/oauth/revoke` arrives without it (double-submit cookie pattern).
 */
export function issueRevokeCsrfToken(publicUrl: string): { token: string; setCookie: string } {
  const token = randomBytes(32).toString("base64url");
  const secure = publicUrl.startsWith("https:") ? "; Secure" : "";
  return {
    token,
    setCookie: `${REVOKE_CSRF_COOKIE}=${token}; Path=/oauth/revoke; Max-Age=600; HttpOnly; SameSite=Strict${secure}`,
  };
}

/**
 * Whether a `POST /oauth/revoke` came from the bot's own confirmation page: its Origin (when the
 * browser sends one) is PUBLIC_URL's, and the form's token equals the cookie's.
 */
export async function isRevokeRequestGenuine(params: {
  req: IncomingMessage;
  publicUrl: string;
}): Promise<boolean> {
  const { req } = params;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== new URL(params.publicUrl).origin) return false;
  const cookieToken = readCookie(req.headers.cookie ?? "", REVOKE_CSRF_COOKIE);
  const formToken = new URLSearchParams(await readSmallBody(req)).get(REVOKE_CSRF_FIELD) ?? "";
  if (!cookieToken || !formToken) return false;
  const expected = Buffer.from(cookieToken);
  const given = Buffer.from(formToken);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function readCookie(header: string, name: string): string | undefined {
  for (const part of header.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** A small urlencoded form body (up to 4 KB; a larger one reads as empty). */
export async function readSmallBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_FORM_BYTES) return "";
  }
  return body;
}
