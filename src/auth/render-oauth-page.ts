import type { ServerResponse } from "node:http";
import { escapeHtml } from "../shared/escape-html.js";

/** What a sign-in page says. Every string is text, escaped on output: logins come from outside. */
export interface OAuthPage {
  statusCode: number;
  title: string;
  paragraphs: string[];
  /** A single button that POSTs to `action` (used to confirm a revoke), with hidden fields. */
  form?: { action: string; buttonLabel: string; hiddenFields?: Record<string, string> };
}

/** Sends the browser to `redirect` (303) with cookies set: the end of a dashboard sign-in. */
export interface OAuthRedirect {
  redirect: string;
  setCookies: string[];
  /** Default 303. */
  statusCode?: 302 | 303;
}

/** A small plain HTML page. */
export function renderOAuthPage(page: OAuthPage): string {
  const paragraphs = page.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join("\n");
  const form =
    page.form === undefined
      ? ""
      : `<form method="post" action="${escapeHtml(page.form.action)}">${Object.entries(
          page.form.hiddenFields ?? {},
        )
          .map(
            ([name, value]) =>
              `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
          )
          .join("")}<button type="submit">${escapeHtml(page.form.buttonLabel)}</button></form>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · tech-lead-bot</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}</style></head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${paragraphs}
${form}
</body>
</html>
`;
}

/**
 * Sends a page. no-store and no-referrer keep the callback's code and state out of caches and out
 * of the Referer header of anything the page links to.
 */
export function sendOAuthPage(
  res: ServerResponse,
  page: OAuthPage,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(page.statusCode, {
    ...SECURITY_HEADERS,
    ...extraHeaders,
    "content-type": "text/html; charset=utf-8",
  });
  res.end(renderOAuthPage(page));
}

/** Sends the browser on to `location` (GitHub's authorise page), setting `setCookies` if any. */
export function sendRedirect(
  res: ServerResponse,
  location: string,
  statusCode = 302,
  setCookies: string[] = [],
): void {
  res.writeHead(statusCode, {
    ...SECURITY_HEADERS,
    location,
    ...(setCookies.length > 0 ? { "set-cookie": setCookies } : {}),
  });
  res.end();
}

const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
};
