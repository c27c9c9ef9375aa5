import type { FeedEntry } from "../feed/feed-store.js";
import { escapeHtml } from "./render-layout.js";

/**
 * The push feed as an Atom 1.0 document (RFC 4287): one entry per push, linking to GitHub's
 * compare view. Entry ids are tag URIs derived from the push, so readers never see one twice.
 */
export function renderAtomFeed(params: {
  owner: string;
  repo: string;
  /** Absolute URL of the HTML feed page. */
  pageUrl: string;
  /** Absolute URL of this Atom document. */
  selfUrl: string;
  entries: FeedEntry[];
  /** The feed's `updated` when there is no entry yet. */
  now: Date;
}): string {
  const host = new URL(params.pageUrl).hostname;
  const updated = params.entries[0]?.pushedAt ?? params.now.toISOString();
  const entries = params.entries.map((entry) => {
    const title = entry.summary.length > 80 ? `${entry.summary.slice(0, 79)}…` : entry.summary;
    const commits = entry.commits.map((commit) => commit.sha.slice(0, 7)).join(", ");
    return `  <entry>
    <id>tag:${escapeHtml(host)},2026:${escapeHtml(entry.id)}</id>
    <title type="text">${escapeHtml(title)}</title>
    <updated>${new Date(entry.pushedAt).toISOString()}</updated>
    <author><name>${escapeHtml(entry.pusherLogin)}</name></author>
    <link rel="alternate" type="text/html" href="${escapeHtml(entry.compareUrl)}"/>
    <summary type="text">${escapeHtml(entry.summary)}</summary>
    <content type="text">${escapeHtml(`${entry.summary}\n\n${entry.forced ? "Force-push. " : ""}${entry.commitCount} commit(s) to ${entry.branch}: ${commits}`)}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeHtml(params.pageUrl)}</id>
  <title type="text">${escapeHtml(`${params.owner}/${params.repo}: pushes`)}</title>
  <subtitle type="text">One line per push, summarised by tech-lead-bot.</subtitle>
  <updated>${new Date(updated).toISOString()}</updated>
  <author><name>tech-lead-bot</name></author>
  <generator>tech-lead-bot</generator>
  <link rel="self" type="application/atom+xml" href="${escapeHtml(params.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${escapeHtml(params.pageUrl)}"/>
${entries.join("\n")}
</feed>
`;
}
