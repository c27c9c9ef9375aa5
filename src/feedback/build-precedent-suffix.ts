import type { PrecedentSource } from "./screen-candidates.js";

/**
 * The short suffix citing the real reviewer's past comment: " (as on [PR 123](…))".
 *
 * GitHub turns a link to an issue or PR URL — bare or as a Markdown link — and `#123`,
 * `GH-123` or `owner/repo#123` into a cross-reference that shows on the old PR's timeline
 * ("Autolinked references and URLs", docs.github.com). URLs on `redirect.github.com` are the
 * documented exception (github/docs#35987; Dependabot and Renovate link this way to avoid
 * backlink spam), and the link text here has no `#`. GitHub Enterprise Server has no such
 * redirect host, so there the suffix names the PR inside a code span (not autolinked) instead.
 */
export function buildPrecedentSuffix(params: {
  precedent: PrecedentSource;
  owner: string;
  repo: string;
  /** https://github.com, or the GHE web URL. */
  webUrl: string;
}): string {
  const { precedent, owner, repo } = params;
  if (params.webUrl !== "https://github.com") {
    return ` (as on \`PR ${precedent.pullNumber}\`)`;
  }
  const url = `https://redirect.github.com/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pull/${precedent.pullNumber}#discussion_r${precedent.commentId}`;
  return ` (as on [PR ${precedent.pullNumber}](${url}))`;
}
