import type { FeedEntry } from "../feed/feed-store.js";
import { escapeHtml, plural, renderRepoHeader, renderTime } from "./render-layout.js";

/** The body of `/dashboard/<owner>/<repo>/feed`: one line per push, newest first, paged. */
export function renderFeedPage(params: {
  owner: string;
  repo: string;
  entries: FeedEntry[];
  page: number;
  pageCount: number;
}): string {
  const base = `/dashboard/${encodeURIComponent(params.owner)}/${encodeURIComponent(params.repo)}/feed`;
  const items = params.entries.map((entry) => renderEntry(entry)).join("\n");
  const empty = `<p class="card muted">No pushes summarised yet. Summaries are off by default: turn them on with <code>feed: { enabled: true }</code> in <code>.github/tech-lead-bot.yml</code>, then push to the default branch.</p>`;
  const newer =
    params.page > 1 ? `<a href="${base}?page=${params.page - 1}">← Newer</a>` : "<span></span>";
  const older =
    params.page < params.pageCount
      ? `<a href="${base}?page=${params.page + 1}">Older →</a>`
      : "<span></span>";
  return `${renderRepoHeader({ ...params, current: "feed" })}
<p class="muted">What changed, one line per push, newest first. <a href="${base}.atom">Atom feed</a></p>
${params.entries.length === 0 ? empty : `<div class="feed">${items}</div>`}
<nav class="pager">${newer}${older}</nav>`;
}

function renderEntry(entry: FeedEntry): string {
  const commits = entry.commits
    .slice(0, 10)
    .map(
      (commit) =>
        `<a href="${escapeHtml(commit.url)}"><code>${escapeHtml(commit.sha.slice(0, 7))}</code></a>`,
    )
    .join(" ");
  const more =
    entry.commitCount > Math.min(10, entry.commits.length)
      ? ` and ${entry.commitCount - Math.min(10, entry.commits.length)} more`
      : "";
  // The stored line starts "Force-push: " (for the Atom feed and readers); here a badge says it.
  const force = entry.forced ? '<span class="badge force">force-push</span> ' : "";
  const summary = entry.forced ? entry.summary.replace(/^Force-push: /, "") : entry.summary;
  return `<article class="card entry" id="${escapeHtml(entry.id.replace(/\//g, "-"))}">
<p class="summary">${force}${escapeHtml(summary)}</p>
<p class="meta">@${escapeHtml(entry.pusherLogin)} pushed ${plural(entry.commitCount, "commit")} to <code>${escapeHtml(entry.branch)}</code> · ${renderTime(entry.pushedAt)} · <a href="${escapeHtml(entry.compareUrl)}">compare</a> · ${commits}${more}</p>
</article>`;
}
