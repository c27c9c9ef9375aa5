import { escapeHtml } from "../shared/escape-html.js";

export { escapeHtml };

/** A page of the dashboard: everything in `body` is HTML the caller escaped. */
export interface DashboardPage {
  statusCode: number;
  title: string;
  /** The signed-in login, shown with a sign-out button. */
  signedInAs?: string;
  /** The sign-out form's anti-forgery token (the session's form token). */
  signOutToken?: string;
  body: string;
}

/** The page shell: one stylesheet, no script, readable on a phone. */
export function renderLayout(page: DashboardPage): string {
  const who =
    page.signedInAs === undefined
      ? ""
      : `<span class="who">@${escapeHtml(page.signedInAs)} <form method="post" action="/dashboard/sign-out"><input type="hidden" name="csrf" value="${escapeHtml(page.signOutToken ?? "")}"><button type="submit">Sign out</button></form></span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · tech-lead-bot</title>
<link rel="stylesheet" href="/dashboard/style.css">
</head>
<body>
<header class="top"><a class="brand" href="/dashboard">tech-lead-bot</a>${who}</header>
<main>
${page.body}
</main>
</body>
</html>
`;
}

/** The tabs of a repository's pages. */
export function renderRepoHeader(params: {
  owner: string;
  repo: string;
  current: "feed" | "personas" | "runs";
}): string {
  const base = `/dashboard/${encodeURIComponent(params.owner)}/${encodeURIComponent(params.repo)}`;
  const tab = (name: typeof params.current, label: string) =>
    `<a href="${escapeHtml(`${base}/${name}`)}"${name === params.current ? ' aria-current="page"' : ""}>${label}</a>`;
  return `<h1>${escapeHtml(params.owner)}/${escapeHtml(params.repo)}</h1>
<nav class="tabs">${tab("feed", "Feed")}${tab("personas", "Personas")}${tab("runs", "Runs")}</nav>`;
}

/** `2026-11-29 21:04 UTC` in a <time> element. */
export function renderTime(iso: string): string {
  const date = new Date(iso);
  const text = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<time datetime="${escapeHtml(date.toISOString())}">${text}</time>`;
}

/** `2026-11-29` in a <time> element whose title has the full UTC time (narrow table cells). */
export function renderDate(iso: string): string {
  const date = new Date(iso);
  const full = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<time datetime="${escapeHtml(date.toISOString())}" title="${full}">${date.toISOString().slice(0, 10)}</time>`;
}

/** Bot-written status text: escaped, with `code spans` kept as <code>. */
export function renderStatusText(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

export function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}
