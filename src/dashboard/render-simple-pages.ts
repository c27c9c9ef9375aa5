import type { ReadableRepository } from "./read-user-github.js";
import { escapeHtml } from "./render-layout.js";

/** The body of `/dashboard`: the repositories the person can read where the app is installed. */
export function renderRepositoriesPage(repositories: ReadableRepository[]): string {
  const items = repositories
    .map((repository) => {
      const base = `/dashboard/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}`;
      return `<li><a href="${escapeHtml(`${base}/feed`)}">${escapeHtml(repository.owner)}/${escapeHtml(repository.repo)}</a>${repository.private ? ' <span class="badge">private</span>' : ""} <span class="meta">· <a href="${escapeHtml(`${base}/personas`)}">personas</a> · <a href="${escapeHtml(`${base}/runs`)}">runs</a></span></li>`;
    })
    .join("\n");
  return `<h1>Repositories</h1>
<p class="muted">Repositories where the bot is installed that you can read on GitHub.</p>
${items === "" ? '<p class="card muted">None: the bot is not installed on a repository you can read.</p>' : `<ul class="plain">${items}</ul>`}`;
}

export const NOT_FOUND_BODY = `<h1>Not found</h1>
<p>There is no page here, or you cannot read this repository on GitHub.</p>
<p><a href="/dashboard">Your repositories</a></p>`;

export const SIGNED_OUT_BODY = `<h1>Signed out</h1>
<p>You are signed out of the dashboard. <a href="/dashboard">Sign in again</a></p>`;

export const SIGN_OUT_REFUSED_BODY = `<h1>Not signed out</h1>
<p>This sign-out did not come from the dashboard's own button, so you are still signed in.
<a href="/dashboard">Back to the dashboard</a>, and use its Sign out button.</p>`;

export const ERROR_BODY = `<h1>Something went wrong</h1>
<p>The page could not be built; the server log says why. Try again in a minute.</p>`;
