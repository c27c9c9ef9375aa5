/**
 * The bench's stand-in GitHub in its own process (GitHub is remote, and the stand-in holds
 * GitHub's 13 MB OpenAPI description in memory, whose garbage-collection cost is not the bot's).
 * Serves the PR's diff, no earlier reviews, and accepts the review and status edits, checking
 * every request against the OpenAPI description. IPC: sends `{ apiBaseUrl }` when listening,
 * answers "stats" with `{ writes, violations }`, exits on "close".
 */
import { readFileSync } from "node:fs";
import { startFakeGitHub } from "../support/fake-github.js";
import { loadGitHubApiDescription } from "../support/github-openapi.js";

const diff = readFileSync(process.env.BENCH_DIFF_PATH ?? "", "utf8");
const github = await startFakeGitHub();
github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
  headers: { "content-type": "application/vnd.github.diff; charset=utf-8" },
  body: diff,
});
github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { body: [] });
github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", { body: [] });
github.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", (request) => ({
  body: {
    id: 1,
    html_url: "https://github.com/o/r/pull/1#pullrequestreview-1",
    body: (request.body as { body: string }).body,
  },
}));
github.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { body: { id: 5 } });
// Compile the schemas the run's writes are checked against before the parent starts timing.
const description = loadGitHubApiDescription();
description.validateRequest({
  method: "POST",
  pathname: "/repos/o/r/pulls/1/reviews",
  body: { event: "COMMENT", body: "warm-up", comments: [] },
});
description.validateRequest({
  method: "PATCH",
  pathname: "/repos/o/r/issues/comments/5",
  body: { body: "warm-up" },
});

process.send?.({ apiBaseUrl: github.apiBaseUrl });
process.on("message", async (message) => {
  if (message === "stats") {
    process.send?.({
      writes: github.requests.filter((request) => request.method !== "GET").length,
      violations: github.violations,
    });
  } else if (message === "close") {
    await github.close();
    process.exit(0);
  }
});
