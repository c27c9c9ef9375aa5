import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { FernetKey } from "./parse-fernet-key.js";

export const SESSION_COOKIE = "tlb_session";
/** How long a dashboard sign-in lasts. */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

const sessionSchema = z.object({
  userId: z.number().int().positive(),
  login: z.string().min(1),
  /** Expiry, ms since the epoch. */
  expiresAtMs: z.number(),
});

/** Who is signed in to the dashboard. Carries no token: pages load it from the vault. */
export type DashboardSession = z.infer<typeof sessionSchema>;

/** Signs and reads the dashboard's session cookie. */
export interface SessionCookies {
  /** A `Set-Cookie` value that signs `user` in until the session expires. */
  issue(user: { id: number; login: string }): string;
  /** The session in a `Cookie` header; undefined when absent, expired, or not signed by us. */
  read(cookieHeader: string | undefined): DashboardSession | undefined;
  /** A `Set-Cookie` value that signs out. */
  clear(): string;
  /**
   * The anti-forgery token for the signed-in session's forms (sign-out): a MAC of the session
   * cookie, so it differs per session and needs no storage. Undefined without a valid session.
   */
  formToken(cookieHeader: string | undefined): string | undefined;
  /** Whether `token` is the form token of the valid session in `cookieHeader`. */
  isFormToken(cookieHeader: string | undefined, token: string | null | undefined): boolean;
}

/**
 * Session cookies signed with HMAC-SHA256 under keys derived (HKDF) from TOKEN_ENCRYPTION_KEYS:
 * the first key signs, any verifies, so rotating those keys rotates these too, and no new secret
 * is needed. The cookie is HttpOnly, SameSite=Lax, Secure when the bot is served over https, and
 * expires both in the browser (Max-Age) and in its signed content.
 */
export function createSessionCookies(params: {
  keys: readonly FernetKey[];
  publicUrl: string;
  ttlSeconds?: number;
  now?: () => Date;
}): SessionCookies {
  const now = params.now ?? (() => new Date());
  const ttlSeconds = params.ttlSeconds ?? SESSION_TTL_SECONDS;
  const macKeys = params.keys.map((key) =>
    Buffer.from(
      hkdfSync(
        "sha256",
        Buffer.concat([key.signingKey, key.encryptionKey]),
        Buffer.alloc(0),
        "tech-lead-bot dashboard session v1",
        32,
      ),
    ),
  );
  const [signingKey] = macKeys;
  if (signingKey === undefined) throw new Error("createSessionCookies needs at least one key");
  const secure = params.publicUrl.startsWith("https:") ? "; Secure" : "";
  const attributes = (maxAge: number) =>
    `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
  const mac = (key: Buffer, body: string) => createHmac("sha256", key).update(body).digest();
  const formMac = (key: Buffer, cookieValue: string) => mac(key, `form\n${cookieValue}`);
  const read = (cookieHeader: string | undefined): DashboardSession | undefined => {
    const value = readCookie(cookieHeader, SESSION_COOKIE);
    const match =
      value === undefined ? null : /^(v1\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(value);
    if (!match?.[1] || !match[2]) return undefined;
    const [, body, signature] = match;
    const given = Buffer.from(signature, "base64url");
    const signed = macKeys.some((key) => {
      const expected = mac(key, body);
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!signed) return undefined;
    const parsed = sessionSchema.safeParse(
      safeJson(Buffer.from(body.slice(3), "base64url").toString("utf8")),
    );
    if (!parsed.success || parsed.data.expiresAtMs <= now().getTime()) return undefined;
    return parsed.data;
  };

  return {
    issue: (user) => {
      const session: DashboardSession = {
        userId: user.id,
        login: user.login,
        expiresAtMs: now().getTime() + ttlSeconds * 1000,
      };
      const body = `v1.${Buffer.from(JSON.stringify(session)).toString("base64url")}`;
      const value = `${body}.${mac(signingKey, body).toString("base64url")}`;
      return `${SESSION_COOKIE}=${value}; ${attributes(ttlSeconds)}`;
    },
    read,
    clear: () => `${SESSION_COOKIE}=; ${attributes(0)}`,
    formToken: (cookieHeader) => {
      if (read(cookieHeader) === undefined) return undefined;
      return formMac(signingKey, readCookie(cookieHeader, SESSION_COOKIE) ?? "").toString(
        "base64url",
      );
    },
    isFormToken: (cookieHeader, token) => {
      if (!token || read(cookieHeader) === undefined) return false;
      const cookieValue = readCookie(cookieHeader, SESSION_COOKIE) ?? "";
      const given = Buffer.from(token, "base64url");
      return macKeys.some((key) => {
        const expected = formMac(key, cookieValue);
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
    },
  };
}

/** A cookie's value from a `Cookie` request header. */
export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** Hex SHA-256, for storing a browser-binding nonce without the nonce itself. */
export function hashNonce(nonce: string): string {
  return createHash("sha256").update(nonce).digest("hex");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
