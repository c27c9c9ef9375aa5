import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { readCookie } from "../auth/session-cookie.js";

/** The cookie a browser gets once it opened the one-time registration address. */
export const REGISTRATION_COOKIE = "tlb_registration";
/** The query parameter of the one-time address: `/probot?key=…`. */
export const REGISTRATION_KEY_PARAM = "key";

/** A fresh one-time key for this start of registration mode, to print in the server's log. */
export function createRegistrationKey(): string {
  return randomBytes(24).toString("base64url");
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"];

/**
 * Whether the request comes from this machine's own browser: a loopback peer, and no proxy
 * header (a reverse proxy on this machine connects from loopback for everyone).
 */
export function isLocalRequest(req: Pick<IncomingMessage, "headers" | "socket">): boolean {
  if (FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  return LOOPBACK.test(req.socket.remoteAddress ?? "");
}

/** Constant-time comparison of a presented key with the one of this start. */
export function isRegistrationKey(presented: string | null | undefined, key: string): boolean {
  if (!presented) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(presented), digest(key));
}

/** Whether the browser holds the registration cookie for `key`. */
export function hasRegistrationCookie(req: Pick<IncomingMessage, "headers">, key: string): boolean {
  return isRegistrationKey(readCookie(req.headers.cookie, REGISTRATION_COOKIE), key);
}

/** The cookie that lets a browser that opened the one-time address finish the registration. */
export function registrationCookie(key: string, secure: boolean): string {
  return `${REGISTRATION_COOKIE}=${key}; Path=/probot; HttpOnly; SameSite=Lax; Max-Age=3600${secure ? "; Secure" : ""}`;
}
