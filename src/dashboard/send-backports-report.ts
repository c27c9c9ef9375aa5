import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { REPORT_SCRIPT } from "../backports/report-script.js";
import { REPORT_STYLE } from "../backports/report-style.js";

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/**
 * The dashboard's policy for a backport report: the page is the same self-contained file as
 * `npm run backports` writes, so its one inline stylesheet and one inline script are allowed by
 * their hashes, and nothing else (no other script, no image, no form, no frame).
 */
export const BACKPORTS_REPORT_CSP = [
  "default-src 'none'",
  `style-src ${sha256(REPORT_STYLE)}`,
  `script-src ${sha256(REPORT_SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Sends a stored backport report under that policy (no caching: it is behind a sign-in). */
export function sendBackportsReport(res: ServerResponse, html: string): void {
  res.writeHead(200, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "private, no-store",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
    "content-security-policy": BACKPORTS_REPORT_CSP,
  });
  res.end(html);
}
