import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Whether the request carries `token`, as `Authorization: Bearer <token>` or as the password of
 * HTTP Basic authentication (what a browser's login prompt sends). Compared in constant time.
 */
export function requestHasToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const [scheme, value = ""] = header.split(" ", 2);
  let offered: string | undefined;
  if (scheme?.toLowerCase() === "bearer") offered = value;
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    offered = decoded.slice(decoded.indexOf(":") + 1);
  }
  return offered !== undefined && timingSafeEqual(digest(offered), digest(token));
}
